import type { Benchmark } from "./benchmark.ts";
import { chatBenchmark } from "./chat.ts";
import { drillBenchmark } from "./drill.ts";
import { fanoutBenchmark } from "./fanout.ts";
import { relayBenchmark } from "./relay.ts";

/** The benchmarks `npm run bench -- <name>` can run, by name. */
export const BENCHMARKS: Record<string, Benchmark> = {
  fanout: fanoutBenchmark,
  chat: chatBenchmark,
  relay: relayBenchmark,
  drill: drillBenchmark,
};

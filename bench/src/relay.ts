import type { Benchmark } from "./benchmark.ts";
import { runRelay } from "./relay/run-relay.ts";
import { takeFlag, takeNumber, takeOption } from "./shared/cli-flags.ts";

/** Publisher → origin → edge → N viewers, each node its own process, over the cluster's relay. */
export const relayBenchmark: Benchmark = {
  summary:
    "publisher → origin → edge → N viewers: hop delay, upstreams, origin CPU per edge, failover, redirects",
  flags: [
    "--viewers <n>     viewers on the edge (default 200; it is also the edge's capacity)",
    "--seconds <s>     length of each measured window (default 10)",
    "--redis <url>     the registry's Redis (default redis://127.0.0.1:6379)",
    "--smoke           20 viewers, 3 s windows",
  ],
  run: (args) => {
    const isSmoke = takeFlag(args, "--smoke");
    const options = {
      viewers: takeNumber(args, "--viewers", isSmoke ? 20 : 200),
      seconds: takeNumber(args, "--seconds", isSmoke ? 3 : 10),
      redisUrl: takeOption(args, "--redis") ?? "redis://127.0.0.1:6379",
    };
    if (args.length > 0) throw new Error(`unknown flags: ${args.join(" ")}`);
    return runRelay(options);
  },
};

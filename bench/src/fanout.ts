import type { Benchmark } from "./benchmark.ts";
import { FANOUT_FLAGS, parseFanoutOptions } from "./fanout/fanout-options.ts";
import { runFanout } from "./fanout/run-fanout.ts";

/** One publisher, N viewers over HTTP-FLV, WS-FLV and RTMP, one media process. */
export const fanoutBenchmark: Benchmark = {
  summary: "one 2.5 Mbit/s publisher fanned out to N viewers (HTTP-FLV, WS-FLV, RTMP) by one media node",
  flags: FANOUT_FLAGS,
  run: (args) => runFanout(parseFanoutOptions(args)),
};

/** The one channel the fanout benchmark publishes and plays. */
export const BENCH_CHANNEL = { name: "bench" } as const;

/** Its stream key, in the real format: `live_` and 32 characters of [A-Za-z0-9_-]. */
export const BENCH_STREAM_KEY = "live_benchmarkFanoutStreamKey_0000000";

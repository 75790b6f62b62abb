/** The stream keys and channels the fuzzer's sessions publish with; the recorded publish uses the first. */
export const FUZZ_CHANNELS = ["fuzz_a", "fuzz_b", "fuzz_c", "fuzz_d"] as const;
export const FUZZ_KEYS = FUZZ_CHANNELS.map((channel) => `live_fuzz_${channel}_${"k".repeat(20)}`);
export const FUZZ_KEY_CHANNELS: Record<string, string> = Object.fromEntries(
  FUZZ_KEYS.map((key, index) => [key, FUZZ_CHANNELS[index]!]),
);

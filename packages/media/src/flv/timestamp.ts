/**
 * FLV and RTMP timestamps are 32-bit millisecond counters that wrap after 49.7 days. Arithmetic on
 * them is modulo 2^32: these helpers are the only way the media code compares or moves them.
 */

/** `later - earlier` as a signed 32-bit difference: a small step across the wrap stays small. */
export function timestampDelta(later: number, earlier: number): number {
  return (later - earlier) | 0;
}

/** Any integer millisecond count as a 32-bit timestamp (modulo 2^32). */
export function toTimestamp(milliseconds: number): number {
  return milliseconds >>> 0;
}

export type Distribution = { count: number; median: number | null; p95: number | null; max: number | null };

/** The value below which `fraction` of the sorted values lie (nearest rank). */
function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

/** Median, p95 and max, rounded to `decimals`; `offset` is subtracted first. */
export function distribution(values: number[], { offset = 0, decimals = 1 } = {}): Distribution {
  const sorted = Float64Array.from(values, (value) => value - offset).sort();
  const list = Array.from(sorted);
  const round = (value: number | null) => (value === null ? null : Number(value.toFixed(decimals)));
  return {
    count: list.length,
    median: round(percentile(list, 0.5)),
    p95: round(percentile(list, 0.95)),
    max: round(list.length > 0 ? list[list.length - 1]! : null),
  };
}

/** The smallest value, without spreading a large array into arguments. */
export function minimum(values: Iterable<number>): number | null {
  let smallest: number | null = null;
  for (const value of values) if (smallest === null || value < smallest) smallest = value;
  return smallest;
}

export type Latencies = {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
};

/** p50, p95, p99 and max of some latencies, rounded to `decimals`. */
export function latencies(values: ArrayLike<number>, decimals = 1): Latencies {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  const round = (value: number | null) => (value === null ? null : Number(value.toFixed(decimals)));
  return {
    count: list.length,
    p50: round(percentile(list, 0.5)),
    p95: round(percentile(list, 0.95)),
    p99: round(percentile(list, 0.99)),
    max: round(list.length > 0 ? list[list.length - 1]! : null),
  };
}

/**
 * The text of a benchmark message: `bench <seq> <sentAt> <filler>`, where sentAt is
 * performance.now() in the benchmark process when the line was handed to socket.io or to the IRC
 * socket. Receivers read both back from the text: latency = arrival − sentAt, on one clock.
 */

const FILLER = " the quick brown fox jumps over the lazy dog".repeat(12);
const PATTERN = /^bench (\d+) (\d+\.\d{3})(?: |$)/;

export function formatBenchLine(seq: number, sentAt: number, length: number): string {
  const head = `bench ${seq} ${sentAt.toFixed(3)}`;
  return head + FILLER.slice(0, Math.max(0, length - head.length));
}

/** The sequence number and send time of a benchmark line, or null for any other text. */
export function parseBenchLine(text: string): { seq: number; sentAt: number } | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  return { seq: Number(match[1]), sentAt: Number(match[2]) };
}

import { ZStreamStatus, type TStreamStatus } from "../api/stream-api.ts";
import type { TestMediaNode } from "./test-media-node.ts";

/** GET /api/v1/streams/<channel>: the description, or null when the node answers 404. */
export async function getStream(
  node: Pick<TestMediaNode, "httpUrl">,
  channel: string,
): Promise<TStreamStatus | null> {
  const response = await fetch(node.httpUrl(`/api/v1/streams/${channel}`));
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) throw new Error(`GET /api/v1/streams/${channel}: ${response.status}`);
  return ZStreamStatus.parse(await response.json());
}

/** GET /metrics as text. */
export async function getMetrics(node: Pick<TestMediaNode, "httpUrl">): Promise<string> {
  const response = await fetch(node.httpUrl("/metrics"));
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  return response.text();
}

/**
 * The value of one Prometheus sample in /metrics text, matched by name and (a subset of) labels;
 * undefined when absent.
 */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const sampleLabels = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value)) return Number(match[3]);
  }
  return undefined;
}

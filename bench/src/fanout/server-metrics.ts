/** The media node's own counters, read from its Prometheus endpoint after a window. */
export type ServerCounters = {
  viewers: Record<string, number>;
  keyframeSkips: Record<string, number>;
  viewersDropped: Record<string, number>;
  queuedBytes: number;
};

const SAMPLE = /^(relaycast_media_[a-z_]+)(?:\{protocol="([a-z-]+)"\})? ([0-9.e+-]+)$/;

export async function readServerCounters(httpPort: number): Promise<ServerCounters | null> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`).catch(() => null);
  if (!response?.ok) {
    await response?.body?.cancel();
    return null;
  }
  const counters: ServerCounters = { viewers: {}, keyframeSkips: {}, viewersDropped: {}, queuedBytes: 0 };
  for (const line of (await response.text()).split("\n")) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const [, name, protocol = "", text] = match;
    const value = Number(text);
    if (name === "relaycast_media_viewers") counters.viewers[protocol] = value;
    if (name === "relaycast_media_viewer_keyframe_skips_total") counters.keyframeSkips[protocol] = value;
    if (name === "relaycast_media_viewers_dropped_total") counters.viewersDropped[protocol] = value;
    if (name === "relaycast_media_viewer_queue_bytes") counters.queuedBytes = value;
  }
  return counters;
}

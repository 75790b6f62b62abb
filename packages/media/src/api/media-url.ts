/**
 * A URL on a media node: its announced base (an origin, possibly with the path prefix of a proxy
 * in front, `https://tv.example/media/edge-1`) and a path on the node (`/live/alice.flv`).
 * `new URL(path, base)` would drop the prefix.
 */
export function mediaNodeUrl(base: string, path: string, { webSocket = false } = {}): string {
  const url = new URL(`${base.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`);
  if (webSocket) url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

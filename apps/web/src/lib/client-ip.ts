/**
 * The header our HTTP server (src/server.ts) sets on every request to the client's address, after
 * removing any copy the client sent. Route code reads the client IP from it and from nothing else.
 */
export const CLIENT_IP_HEADER = "x-relaycast-client-ip";

type IncomingLike = {
  headers: Record<string, string | string[] | undefined>;
  socket: { remoteAddress?: string };
};

/** The client's address: the socket's, or with a trusted proxy in front, the first X-Forwarded-For hop. */
export function resolveClientIp(request: IncomingLike, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? "unknown";
}

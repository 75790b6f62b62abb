import { isIP } from "node:net";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * The viewer's IP: the web server's proxy (on this machine) names it in X-Forwarded-For; anyone
 * else connecting directly is taken at their socket address.
 */
export function clientAddress(remoteAddress: string, forwardedFor: string | string[] | undefined): string {
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .at(-1)!
    .trim();
  const address = LOOPBACK.has(remoteAddress) && isIP(forwarded) ? forwarded : remoteAddress;
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

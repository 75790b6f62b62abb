import { BlockList, isIP } from "node:net";
import { z } from "zod";

/** What `npm start` needs: the web server forwards chat to the gateway over loopback. */
const LOOPBACK = "127.0.0.0/8,::1";

/** An address (`10.0.0.5`, `::1`) or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrCidr(entry: string): boolean {
  const [address = "", prefix, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/** `TRUSTED_PROXIES`: comma-separated addresses or CIDR blocks of the reverse proxies in front. */
export const ZTrustedProxies = z
  .string()
  .default(LOOPBACK)
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine((entries) => entries.every(isAddressOrCidr), {
    error: "must be comma-separated IP addresses or CIDR blocks (10.0.0.0/8, ::1)",
  });

/** The parsed list, as a membership test. */
export type TrustedProxies = { has(address: string): boolean };

export function trustedProxySet(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return {
    has: (address) => {
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
    },
  };
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) is 1.2.3.4. */
function unmapped(address: string): string {
  return address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4
    ? address.slice(7)
    : address;
}

/**
 * The client's address. A peer that is not a trusted proxy is the client. Behind trusted proxies,
 * X-Forwarded-For is read from the right (each proxy appends the address it saw), skipping trusted
 * hops: the first untrusted hop is the client, if it is a valid IP. Anything before it was written
 * by the client and is ignored; a malformed hop, or a chain of trusted hops only, gives the socket
 * address.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: TrustedProxies,
): string {
  const peer = unmapped(socketAddress ?? "unknown");
  if (!trustedProxies.has(peer)) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",");
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = unmapped(hops[index]!.trim());
    if (isIP(hop) === 0) break;
    if (!trustedProxies.has(hop)) return hop;
  }
  return peer;
}

import { resolveClientAddress, type TrustedProxies } from "@relaycast/config";

/**
 * A socket.io viewer's IP: the web server's chat proxy names it in X-Forwarded-For, believed only
 * when the connection comes from a trusted proxy (`TRUSTED_PROXIES`).
 */
export function clientAddress(
  handshake: { address: string; headers: Record<string, string | string[] | undefined> },
  trustedProxies: TrustedProxies,
): string {
  return resolveClientAddress(handshake.address, handshake.headers["x-forwarded-for"], trustedProxies);
}

import type { TrustedProxies } from "@relaycast/config";
import { clientKey } from "./client-key.ts";

export type ConnectionLimitsOptions = {
  /** Open connections one client (address, or IPv6 /64) may hold across the node's listeners. */
  maxPerClient: number;
  /** Reverse proxies carry many clients' connections: they are not held to one client's share. */
  trustedProxies: TrustedProxies;
};

/** Why a connection was refused before a byte was read: its client's cap, or the node's pending cap. */
export type TConnectionRefusal = "per-client" | "pending";

const UNCOUNTED = () => {};

/** Counts open connections per client, for every listener of the node; a client past its cap is refused. */
export class ConnectionLimits {
  private readonly open = new Map<string, number>();

  constructor(private readonly options: ConnectionLimitsOptions) {}

  /**
   * Takes a slot for a connection from `address`: a function that gives it back (call it once the
   * connection closes), or null when the client already holds its share.
   */
  take(address: string | undefined): (() => void) | null {
    if (address && this.options.trustedProxies.has(address)) return UNCOUNTED;
    const key = clientKey(address);
    const count = this.open.get(key) ?? 0;
    if (count >= this.options.maxPerClient) return null;
    this.open.set(key, count + 1);
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }
}

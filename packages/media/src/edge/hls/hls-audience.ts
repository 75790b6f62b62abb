import { clientKey } from "../../limits/client-key.ts";

/** A viewer counts as watching HLS while it fetches the playlist at least this often. */
const ACTIVE_MS = 10_000;

/**
 * HLS has no connection to count: a viewer is a client that fetched a channel's playlist in the last
 * few seconds. A client is an address (an IPv6 /64), never anything the client itself chooses, such
 * as its User-Agent, so nobody can inflate a channel's count by varying a header.
 */
export class HlsAudience {
  private readonly lastSeen = new Map<string, Map<string, number>>();

  seen(channel: string, address: string | undefined, now = Date.now()): void {
    let clients = this.lastSeen.get(channel);
    if (!clients) this.lastSeen.set(channel, (clients = new Map()));
    clients.set(clientKey(address), now);
  }

  count(channel: string, now = Date.now()): number {
    const clients = this.lastSeen.get(channel);
    if (!clients) return 0;
    for (const [client, at] of clients) if (now - at > ACTIVE_MS) clients.delete(client);
    return clients.size;
  }

  forget(channel: string): void {
    this.lastSeen.delete(channel);
  }
}

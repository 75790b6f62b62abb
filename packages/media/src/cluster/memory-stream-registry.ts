import type { NodeRecord, StreamRegistry } from "./stream-registry.ts";

type Expiring<T> = { value: T; expiresAt: number };

/**
 * The registry of one process (no REDIS_URL): the same claims and expiries as the Redis registry,
 * kept in maps, so a node on its own behaves as a node in a cluster of one.
 */
export class MemoryStreamRegistry implements StreamRegistry {
  private readonly claims = new Map<string, Expiring<string>>();
  private readonly records = new Map<string, Expiring<NodeRecord>>();

  constructor(
    private readonly ttlMs: number,
    private readonly nodeTtlMs: number = ttlMs,
  ) {}

  /** As in Redis: free, already this node's, or held by a node that stopped heart-beating. */
  async claim(channel: string, nodeId: string): Promise<boolean> {
    const holder = this.live(this.claims, channel);
    if (holder !== null && holder !== nodeId && this.live(this.records, holder) !== null) return false;
    this.claims.set(channel, { value: nodeId, expiresAt: Date.now() + this.ttlMs });
    return true;
  }

  async renew(channels: string[], nodeId: string): Promise<string[]> {
    const lost: string[] = [];
    for (const channel of channels) {
      if (this.live(this.claims, channel) === nodeId)
        this.claims.set(channel, { value: nodeId, expiresAt: Date.now() + this.ttlMs });
      else lost.push(channel);
    }
    return lost;
  }

  async release(channel: string, nodeId: string): Promise<void> {
    if (this.live(this.claims, channel) === nodeId) this.claims.delete(channel);
  }

  async originOf(channel: string): Promise<string | null> {
    return this.live(this.claims, channel);
  }

  async heartbeat(record: NodeRecord): Promise<void> {
    this.records.set(record.id, { value: record, expiresAt: Date.now() + this.nodeTtlMs });
  }

  async leave(nodeId: string): Promise<void> {
    this.records.delete(nodeId);
  }

  async nodes(): Promise<NodeRecord[]> {
    return [...this.records.keys()].flatMap((id) => this.live(this.records, id) ?? []);
  }

  async close(): Promise<void> {}

  private live<T>(map: Map<string, Expiring<T>>, key: string): T | null {
    const entry = map.get(key);
    if (!entry) return null;
    if (entry.expiresAt > Date.now()) return entry.value;
    map.delete(key);
    return null;
  }
}

import type { NodeRecord } from "@relaycast/media/cluster";

const REFRESH_MS = 2_000;

export type ClusterMediaOriginsOptions = {
  /** The cluster's registry, or anything that lists its nodes. */
  source: { nodes(): Promise<NodeRecord[]> };
  log: { warn(fields: object, message: string): void };
  refreshMs?: number;
};

/**
 * The HTTP origins of the cluster's media nodes, re-read every two seconds, for the site's
 * Content-Security-Policy: a player may be sent to any edge, and thumbnails come from origins. A read
 * that fails keeps the last list: the policy never opens wider than the nodes the registry named.
 */
export class ClusterMediaOrigins {
  #origins: string[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: ClusterMediaOriginsOptions) {}

  /** Reads the nodes once before the first request needs them, then keeps reading. */
  async start(): Promise<void> {
    await this.#refresh();
    this.#timer = setInterval(() => void this.#refresh(), this.options.refreshMs ?? REFRESH_MS);
    this.#timer.unref();
  }

  current(): string[] {
    return this.#origins;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
  }

  async #refresh(): Promise<void> {
    try {
      const nodes = await this.options.source.nodes();
      this.#origins = [...new Set(nodes.map((node) => new URL(node.httpUrl).origin))].sort();
    } catch (error) {
      this.options.log.warn({ err: error }, "could not read the media nodes for the CSP");
    }
  }
}

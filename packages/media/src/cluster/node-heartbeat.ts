import type { Logger } from "@relaycast/logger";
import type { NodeRecord, StreamRegistry } from "./stream-registry.ts";

export type NodeHeartbeatOptions = {
  registry: StreamRegistry;
  nodeId: string;
  intervalMs: number;
  /** This node's record as of now, but for its CPU, which the heartbeat measures. */
  record(): Omit<NodeRecord, "heartbeatAt" | "load"> & { load: Omit<NodeRecord["load"], "cpu"> };
  /** The channels this node holds as an origin, whose claims it renews. */
  claimedChannels(): string[];
  /** Claims this node held and no longer does (another origin has the channel now). */
  lost(channels: string[]): void;
  /** The cluster's live nodes, read after each heartbeat. */
  refreshed(nodes: NodeRecord[]): void;
  log: Logger;
};

/** Failures are logged at most this often: a Redis outage must not flood the log. */
const FAILURE_LOG_MS = 10_000;

/**
 * Keeps this node in the registry: every interval it publishes the node's record and renews its
 * channel claims, so a node that stops (or loses Redis) drops out of the cluster within the TTL.
 */
export class NodeHeartbeat {
  private timer: NodeJS.Timeout | null = null;
  private lastCpu = process.cpuUsage();
  private lastCpuAt = performance.now();
  private lastFailureLoggedAt = 0;
  private beating: Promise<void> | null = null;
  /** When the registry last took this node's heartbeat (ms since the epoch); 0 before the first. */
  lastHeartbeatAt = 0;

  constructor(private readonly options: NodeHeartbeatOptions) {}

  /** Beats once (the node is listed before it takes traffic), then every interval. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Beats now, out of turn: a channel was claimed or released, and the director should know. */
  beat(): Promise<void> {
    this.beating ??= this.publish().finally(() => (this.beating = null));
    return this.beating;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    await this.options.registry.leave(this.options.nodeId).catch(() => {});
  }

  private async publish(): Promise<void> {
    const { options } = this;
    try {
      const base = options.record();
      const heartbeatAt = Date.now();
      await options.registry.heartbeat({ ...base, load: { ...base.load, cpu: this.cpu() }, heartbeatAt });
      this.lastHeartbeatAt = heartbeatAt;
      const lost = await options.registry.renew(options.claimedChannels(), options.nodeId);
      if (lost.length > 0) options.lost(lost);
      options.refreshed(await options.registry.nodes());
    } catch (error) {
      const now = Date.now();
      if (now - this.lastFailureLoggedAt >= FAILURE_LOG_MS) {
        this.lastFailureLoggedAt = now;
        options.log.warn({ err: error }, "registry heartbeat failed; retrying");
      }
    }
  }

  /** Cores used by this process since the last heartbeat (1.0 = one core busy). */
  private cpu(): number {
    const now = performance.now();
    const usage = process.cpuUsage(this.lastCpu);
    const elapsedMs = now - this.lastCpuAt;
    this.lastCpu = process.cpuUsage();
    this.lastCpuAt = now;
    if (elapsedMs <= 0) return 0;
    return Math.round(((usage.user + usage.system) / 1_000 / elapsedMs) * 100) / 100;
  }
}

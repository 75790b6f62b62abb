import type { Socket } from "node:net";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { TrustedProxies } from "@relaycast/config";
import type { Health, Logger } from "@relaycast/logger";
import type { TStreamStatus, TViewerCounts } from "./api/stream-api.ts";
import { Archive } from "./archive/archive.ts";
import type { ArchiveStorage } from "./archive/archive-storage.ts";
import type { RecordingStore } from "./archive/recording-store.ts";
import { MemoryStreamRegistry } from "./cluster/memory-stream-registry.ts";
import { HEARTBEAT_INTERVAL_MS, NODE_TTL_MS, REGISTRY_TTL_MS } from "./cluster/create-stream-registry.ts";
import { NodeHeartbeat } from "./cluster/node-heartbeat.ts";
import { hasHeadroom, pickEdge } from "./cluster/pick-node.ts";
import type { NodeRecord, StreamRegistry, TMediaRole } from "./cluster/stream-registry.ts";
import { canRunFfmpeg } from "./edge/hls/find-ffmpeg.ts";
import { HlsAudience } from "./edge/hls/hls-audience.ts";
import { HlsPackager } from "./edge/hls/hls-packager.ts";
import { MediaHttpServer, type TRedirect } from "./edge/http/media-http-server.ts";
import { LiveStream } from "./edge/live-stream.ts";
import { decideRtmpPlay } from "./edge/rtmp-player.ts";
import {
  DEFAULT_VIEWER_LIMITS,
  type TAudienceProtocol,
  type TViewerProtocol,
  type ViewerLimits,
  zeroByProtocol,
} from "./edge/viewer.ts";
import { Admission } from "./ingest/admission.ts";
import { RtmpServer } from "./ingest/rtmp-server.ts";
import { RtmpsListener } from "./ingest/rtmps-listener.ts";
import { ConnectionLimits } from "./limits/connection-limits.ts";
import {
  BroadcastManager,
  type BroadcastView,
  type StreamAttachment,
} from "./live-state/broadcast-manager.ts";
import type { BroadcastStore } from "./live-state/broadcast-store.ts";
import { MediaMetrics } from "./metrics/media-metrics.ts";
import { routeNmsLogging } from "./nms/nms-logging.ts";
import { RelayServer } from "./relay/relay-server.ts";
import type { RelayEvents } from "./relay/relay-timing.ts";
import { RelayUpstreams, type RelayedChannel, type TAudience } from "./relay/relay-upstreams.ts";
import {
  DEFAULT_THUMBNAIL_INTERVAL_MS,
  ThumbnailGrabber,
  thumbnailPath,
} from "./thumbnails/thumbnail-grabber.ts";

export type { TMediaRole } from "./cluster/stream-registry.ts";

/** A node's place in a cluster: the shared registry, and the relay between its nodes. */
export type ClusterOptions = {
  registry: StreamRegistry;
  /** Authenticates the relay (CLUSTER_SECRET). */
  secret: string;
  /** The relay server's port on this node (origin or all); 0 in tests. */
  relayPort: number;
  /** `host:port` other nodes reach the relay server by; a port of 0 stands for the one bound. */
  relayAddress: string;
  /** An edge releases a channel's upstream after this long without viewers. */
  upstreamIdleMs: number;
};

export type MediaNodeOptions = {
  role: TMediaRole;
  nodeId: string;
  host: string;
  rtmpPort: number;
  httpPort: number;
  /** Where HLS segments are written, one folder per channel. */
  hlsDir: string;
  hlsSegmentSeconds: number;
  /** Where live thumbnails are written, `<channel>.jpg`; without it the node makes none. */
  thumbnailDir?: string;
  /** Time between two thumbnails of a live stream (default 20 s). */
  thumbnailIntervalMs?: number;
  ffmpegPath: string;
  /** The whole environment of the ffmpeg sidecars (HLS, thumbnails): PATH, no secret. */
  ffmpegEnv: Record<string, string>;
  corsOrigin: string;
  reconnectGraceMs: number;
  admissionTimeoutMs: number;
  maxConnections: number;
  /** Open connections one client (address, or IPv6 /64) may hold, RTMP and HTTP together. */
  maxConnectionsPerClient: number;
  /** RTMP connections not yet publishing or playing, all clients together. */
  maxPendingConnections: number;
  /** Reverse proxies in front of the HTTP port: their X-Forwarded-For names the viewer. */
  trustedProxies: TrustedProxies;
  fanout: { flushIntervalMs: number; maxGopBytes: number; maxGopMs: number; viewerLimits: ViewerLimits };
  store: BroadcastStore;
  /** Without it, the node is a cluster of one: an in-memory registry and no relay. */
  cluster?: ClusterOptions;
  /** Where broadcasts are recorded (an origin records its own) and served from as videos; none without it. */
  archive?: {
    storage: ArchiveStorage;
    store: RecordingStore;
    segmentSeconds?: number;
    minFreeBytes?: number;
  };
  /** What this node announces in the registry: where publishers and viewers reach it, and its API. */
  publicRtmpUrl?: string;
  publicHttpUrl?: string;
  apiUrl?: string;
  /** What it is meant to carry; past it, an edge sends new viewers to a sibling with headroom. */
  capacity?: { viewers: number; mbps: number };
  /** RTMPS ingest (TLS in front of the RTMP server); none without it. */
  rtmps?: { port: number; certFile: string; keyFile: string };
  /** Answers /healthz and /readyz on the HTTP port. */
  health?: Health;
  log: Logger;
};

export const DEFAULT_FANOUT: MediaNodeOptions["fanout"] = {
  flushIntervalMs: 20,
  maxGopBytes: 8 * 1024 * 1024,
  maxGopMs: 10_000,
  viewerLimits: DEFAULT_VIEWER_LIMITS,
};

const VIEWER_SAMPLE_MS = 5_000;
const DRAIN_POLL_MS = 100;
const DRAIN_NOTICE_MS = 1_000;
const DEFAULT_CAPACITY = { viewers: 2_000, mbps: 5_000 };
const NO_AUDIENCE: TAudience = { "http-flv": 0, "ws-flv": 0, rtmp: 0, hls: 0 };

/**
 * One media process, put together by role. An origin takes publishers (admission, live state, the
 * thumbnail tap) and serves its channels to edges over the relay; an edge pulls channels from their
 * origins on its viewers' demand and serves viewers (RTMP, HTTP-FLV, WS-FLV, HLS); `all` does both in
 * one process with no relay hop. Every node registers in the cluster's registry and heart-beats.
 */
export class MediaNode {
  private readonly broadcasts: BroadcastManager | null;
  private readonly admission: Admission | null;
  private readonly relayServer: RelayServer | null;
  private readonly upstreams: RelayUpstreams | null;
  private readonly registry: StreamRegistry;
  private readonly heartbeat: NodeHeartbeat;
  private readonly rtmp: RtmpServer;
  private readonly rtmps: RtmpsListener | null;
  private readonly http: MediaHttpServer;
  private readonly metrics: MediaMetrics;
  private readonly archive: Archive | null;
  private readonly hlsAudience = new HlsAudience();
  /** The HLS packagers of relayed channels (an origin's own channels have theirs as attachments). */
  private readonly relayedHls = new Map<LiveStream, HlsPackager>();
  /** Bytes sent by streams that have ended, so the counters never go down. */
  private readonly endedSentBytes = zeroByProtocol();
  private readonly sampleTimer: NodeJS.Timeout;
  /** The cluster's nodes as of the last heartbeat: where an edge at capacity sends new viewers. */
  private siblings: NodeRecord[] = [];
  private relayConnectionsPulled = 0;
  private egressMbps = 0;
  private isDraining = false;
  private lastEgressSample: { bytes: number; at: number } | null = null;
  private hasFfmpeg = false;

  constructor(private readonly options: MediaNodeOptions) {
    const { role, cluster, log } = options;
    routeNmsLogging(log);
    const takesPublishers = role !== "edge";
    const servesViewers = role !== "origin";
    this.registry = cluster?.registry ?? new MemoryStreamRegistry(REGISTRY_TTL_MS, NODE_TTL_MS);
    this.metrics = new MediaMetrics({
      streams: () => this.streams().length,
      viewersByProtocol: () => this.totalViewers(),
      queuedBytes: () => this.streams().reduce((sum, stream) => sum + stream.queuedBytes(), 0),
      rtmpConnections: () => this.rtmp.connectionCount,
      bytesOutByProtocol: () => this.totalSentBytes(),
      relayConnections: () => ({
        served: this.relayServer?.connectionCount ?? 0,
        pulled: this.relayConnectionsPulled,
      }),
      upstreams: () => this.upstreams?.list().length ?? 0,
      heartbeatAgeSeconds: () =>
        this.heartbeat.lastHeartbeatAt === 0 ? -1 : (Date.now() - this.heartbeat.lastHeartbeatAt) / 1000,
    });
    this.archive = options.archive
      ? new Archive({
          ...options.archive,
          ffmpegPath: options.ffmpegPath,
          ffmpegEnv: options.ffmpegEnv,
          failed: (reason) => this.metrics.recordingFailures.inc({ reason }),
          log,
        })
      : null;
    this.broadcasts = takesPublishers
      ? new BroadcastManager({
          store: options.store,
          admissionTimeoutMs: options.admissionTimeoutMs,
          reconnectGraceMs: options.reconnectGraceMs,
          createStream: (channel) => this.createStream(channel),
          createAttachments: (stream, { broadcastId }) => this.createAttachments(stream, broadcastId),
          countViewers: (stream) => this.viewersOf(stream).total,
          claims: {
            claim: async (channel) => {
              const isClaimed = await this.registry.claim(channel, options.nodeId);
              // The director and the edges learn of the channel at once, not at the next beat.
              if (isClaimed) void this.heartbeat.beat();
              return isClaimed;
            },
            release: (channel) => this.registry.release(channel, options.nodeId),
          },
          channelMoved: (channel) => this.relayServer?.end(channel, "moved"),
          log,
        })
      : null;
    this.admission = this.broadcasts
      ? new Admission({
          findChannelByStreamKey: (streamKey) => options.store.findChannelByStreamKey(streamKey),
          findChannelsByStreamKeys: (streamKeys) => options.store.findChannelsByStreamKeys(streamKeys),
          admissionTimeoutMs: options.admissionTimeoutMs,
          // A suspension or a stopped stream ends the stream within a second: one query every 500 ms.
          revalidateIntervalMs: 500,
          acceptsPublishers: true,
          broadcasts: this.broadcasts,
          admission: (result) => this.metrics.admissions.inc({ result }),
          log,
        })
      : null;
    this.relayServer =
      cluster && takesPublishers
        ? new RelayServer({
            host: options.host,
            port: cluster.relayPort,
            nodeId: options.nodeId,
            secret: cluster.secret,
            find: (channel) => this.broadcasts?.find(channel) ?? null,
            events: this.relayEvents(() => {}),
            log,
          })
        : null;
    this.upstreams =
      cluster && servesViewers
        ? new RelayUpstreams({
            nodeId: options.nodeId,
            secret: cluster.secret,
            locate: (channel) => this.locate(channel),
            createStream: (channel) => this.createStream(channel),
            audience: (stream) => this.audienceOf(stream),
            opened: (stream) => this.startRelayedHls(stream),
            closed: (stream) => this.stopRelayedHls(stream),
            idleMs: cluster.upstreamIdleMs,
            followMs: 10_000,
            events: this.relayEvents((delta) => (this.relayConnectionsPulled += delta)),
            log,
          })
        : null;
    this.heartbeat = new NodeHeartbeat({
      registry: this.registry,
      nodeId: options.nodeId,
      intervalMs: HEARTBEAT_INTERVAL_MS,
      record: () => {
        this.sampleEgress();
        return this.record();
      },
      claimedChannels: () => this.broadcasts?.heldChannels() ?? [],
      lost: (channels) => this.broadcasts?.channelsLost(channels),
      refreshed: (nodes) => (this.siblings = nodes),
      log,
    });
    const limits = new ConnectionLimits({
      maxPerClient: options.maxConnectionsPerClient,
      trustedProxies: options.trustedProxies,
    });
    const refused = (reason: string) => this.metrics.connectionsRefused.inc({ reason });
    this.rtmp = new RtmpServer({
      host: options.host,
      port: options.rtmpPort,
      maxConnections: options.maxConnections,
      maxPendingConnections: options.maxPendingConnections,
      limits,
      refused,
      handlers: {
        publish: async (request, connection) => {
          if (this.admission) return this.admission.admit(request, connection);
          this.metrics.admissions.inc({ result: "refused-role" });
          return { ok: false, description: "This media node does not take publishers." };
        },
        play: async (request) => {
          const redirect = this.redirect(request.name, "rtmp");
          if (redirect) return { ok: false, description: `This edge is full; play ${redirect.rtmp}` };
          return decideRtmpPlay(request, (name) => this.findPlayable(name));
        },
        bytesIn: (bytes) => this.metrics.bytesIn.inc(bytes),
        peerError: (code) => this.metrics.peerErrors.inc({ protocol: "rtmp", code }),
      },
      log,
    });
    this.rtmps = options.rtmps
      ? new RtmpsListener({
          host: options.host,
          ...options.rtmps,
          maxConnections: options.maxConnections,
          rtmp: this.rtmp,
          peerError: (code) => this.metrics.peerErrors.inc({ protocol: "rtmps", code }),
          log,
        })
      : null;
    this.http = new MediaHttpServer({
      host: options.host,
      port: options.httpPort,
      corsOrigin: options.corsOrigin,
      maxConnections: options.maxConnections,
      limits,
      trustedProxies: options.trustedProxies,
      health: options.health,
      refused,
      peerError: (protocol, code) => this.metrics.peerErrors.inc({ protocol, code }),
      routes: {
        find: (name) => this.findPlayable(name),
        redirect: (name, protocol) => this.redirect(name, protocol),
        describe: (name) => this.describe(name),
        list: () => this.channelNames().flatMap((name) => this.describe(name) ?? []),
        metrics: async () => ({
          contentType: this.metrics.registry.contentType,
          body: await this.metrics.registry.metrics(),
        }),
        hlsDir: (name) => this.hlsDir(name),
        thumbnailPath: (name) => (options.thumbnailDir ? thumbnailPath(options.thumbnailDir, name) : null),
        hlsAudience: this.hlsAudience,
        vod: async (path) => (this.archive ? this.archive.readFile(path) : null),
      },
      log,
    });
    this.sampleTimer = setInterval(() => this.broadcasts?.recordViewers(), VIEWER_SAMPLE_MS);
    this.sampleTimer.unref();
  }

  async start(): Promise<void> {
    this.hasFfmpeg = await canRunFfmpeg(this.options.ffmpegPath, this.options.ffmpegEnv);
    if (!this.hasFfmpeg) {
      this.options.log.warn(
        { ffmpegPath: this.options.ffmpegPath },
        "ffmpeg not found: HLS and thumbnails are off (apt-get install ffmpeg)",
      );
    }
    await this.broadcasts?.start();
    // After the broadcasts a previous run left open are closed: their recordings are finished now.
    if (this.broadcasts) await this.archive?.start();
    await this.relayServer?.start();
    await this.http.start();
    // Listed before it takes publishers: a claim by a node without a record could be taken over.
    await this.heartbeat.start();
    await this.rtmp.start();
    await this.rtmps?.start();
    this.options.log.info({ role: this.options.role, nodeId: this.options.nodeId }, "media node started");
  }

  /** The ports bound, once started (tests and benchmarks listen on port 0). */
  get ports(): { rtmp: number; rtmps: number | null; http: number; relay: number | null } {
    return {
      rtmp: this.rtmp.port,
      rtmps: this.rtmps?.port ?? null,
      http: this.http.port,
      relay: this.relayServer?.port ?? null,
    };
  }

  /**
   * Serves a connection handed over rather than accepted by a listener: a socket passed from another
   * process, or the fuzzer's in-memory streams, which drive the same code as a TCP peer.
   */
  accept(listener: "rtmp" | "http", socket: Socket): void {
    if (listener === "rtmp") this.rtmp.accept(socket);
    else this.http.accept(socket);
  }

  /**
   * Before a clean stop of a node that serves viewers: it leaves the registry (directors stop
   * sending viewers here), sends new viewers to a sibling, and closes its viewers, whose players
   * ask the director again. Resolves once no viewer is connected, or at the deadline.
   */
  async drain(deadlineMs: number): Promise<void> {
    // An origin's viewers are edges, which follow the channel; one machine (`all`) has no sibling.
    if (this.options.role !== "edge") return;
    this.isDraining = true;
    const deadline = Date.now() + deadlineMs;
    await this.heartbeat.close();
    // Players the director sent here just before the node left are still arriving: they are sent
    // to a sibling, and the viewers here stay until the directors surely know.
    await delay(Math.min(DRAIN_NOTICE_MS, deadlineMs));
    const log = this.options.log.child({ component: "drain" });
    let moved = 0;
    while (this.audienceConnections() > 0 && Date.now() < deadline) {
      for (const stream of this.streams()) moved += stream.closeAudience();
      await delay(DRAIN_POLL_MS);
    }
    log.info({ moved, left: this.audienceConnections() }, "viewers moved to other nodes");
  }

  async close(): Promise<void> {
    clearInterval(this.sampleTimer);
    await this.heartbeat.close();
    await this.rtmps?.close();
    await this.rtmp.close();
    this.admission?.close();
    await this.relayServer?.close();
    await this.upstreams?.close();
    await this.broadcasts?.close();
    await this.archive?.close();
    await this.http.close();
    if (!this.options.cluster) await this.registry.close();
  }

  /** The stream viewers of a channel attach to: published here, or pulled from its origin. */
  private async findPlayable(name: string): Promise<LiveStream | null> {
    if (this.options.role === "origin") return null;
    return this.broadcasts?.find(name)?.stream ?? (await this.upstreams?.open(name)) ?? null;
  }

  /**
   * Where a new viewer goes when this edge is at capacity: the sibling the director would pick, if it
   * has headroom. Null when this node has room, or nobody has more.
   */
  private redirect(channel: string, protocol: TAudienceProtocol | "ws-flv"): TRedirect | null {
    if (this.options.role === "origin" || !this.isFull()) return null;
    // Edges behind one address (a Kubernetes Service) share a URL: a redirect there could come back here.
    const ownUrl = this.options.publicHttpUrl;
    const others = this.siblings.filter((node) => node.id !== this.options.nodeId && node.httpUrl !== ownUrl);
    const sibling = pickEdge(others, channel);
    if (!sibling || !hasHeadroom(sibling)) return null;
    this.metrics.redirects.inc({ protocol });
    return { http: sibling.httpUrl, rtmp: `${sibling.rtmpUrl}/live/${channel}` };
  }

  private locate(channel: string) {
    return this.registry.originOf(channel).then((nodeId) => {
      const origin = nodeId ? this.siblings.find((node) => node.id === nodeId) : undefined;
      if (origin?.relayAddress) return { nodeId: origin.id, relayAddress: origin.relayAddress };
      // The origin claimed it before its next heartbeat reached this node: read the nodes again.
      return nodeId ? this.locateFresh(nodeId) : null;
    });
  }

  private async locateFresh(nodeId: string) {
    this.siblings = await this.registry.nodes();
    const origin = this.siblings.find((node) => node.id === nodeId);
    return origin?.relayAddress ? { nodeId: origin.id, relayAddress: origin.relayAddress } : null;
  }

  /** What the registry says of this node: its URLs, capacity, load and channels. */
  private record(): Omit<NodeRecord, "heartbeatAt" | "load"> & { load: Omit<NodeRecord["load"], "cpu"> } {
    const { options } = this;
    const viewers = Object.values(this.totalViewers()).reduce((sum, count) => sum + count, 0);
    const ports = this.ports;
    const relayAddress =
      options.cluster && this.relayServer
        ? options.cluster.relayAddress.replace(/:0$/, `:${ports.relay}`)
        : null;
    return {
      id: options.nodeId,
      role: options.role,
      rtmpUrl: options.publicRtmpUrl ?? `rtmp://${options.host}:${ports.rtmp}`,
      httpUrl: options.publicHttpUrl ?? `http://${options.host}:${ports.http}`,
      apiUrl: options.apiUrl ?? `http://${options.host}:${ports.http}`,
      relayAddress,
      capacity: options.capacity ?? DEFAULT_CAPACITY,
      load: { viewers, egressMbps: this.egressMbps },
      channels: this.channelNames(),
    };
  }

  private channelNames(): string[] {
    const local = this.broadcasts?.list().map((view) => view.name) ?? [];
    const relayed = this.upstreams?.list().map((channel) => channel.channel) ?? [];
    return [...new Set([...local, ...relayed])];
  }

  /** Every live stream on this node: its own broadcasts' and the relayed ones. */
  private streams(): LiveStream[] {
    return [
      ...(this.broadcasts?.list().map((view) => view.stream) ?? []),
      ...(this.upstreams?.list().map((channel) => channel.stream) ?? []),
    ];
  }

  /** What the stream API shows about a live channel, here and (on its origin) on its edges. */
  private describe(name: string): TStreamStatus | null {
    const local = this.broadcasts?.find(name);
    if (local) return this.statusOf(local, { kind: "ingest" });
    const relayed = this.upstreams?.find(name);
    return relayed ? this.statusOf(relayed, { kind: "relay", origin: relayed.origin }) : null;
  }

  private statusOf(view: BroadcastView | RelayedChannel, source: TStreamStatus["source"]): TStreamStatus {
    const now = Date.now();
    const channel = "name" in view ? view.name : view.channel;
    const subscribers = this.relayServer?.subscribers(channel) ?? [];
    const viewers = this.viewersOf(view.stream);
    for (const subscriber of subscribers) {
      for (const protocol of ["http-flv", "ws-flv", "rtmp", "hls"] as const) {
        viewers[protocol] += subscriber.viewers[protocol];
        viewers.total += subscriber.viewers[protocol];
      }
    }
    return {
      channel,
      state: view.state,
      startedAt: view.startedAt.toISOString(),
      uptimeSeconds: Math.round((now - view.startedAt.getTime()) / 1000),
      viewers,
      health: view.stream.stats.snapshot(now),
      source,
      relaySubscribers: subscribers,
    };
  }

  private createStream(channel: string): LiveStream {
    const { fanout } = this.options;
    return new LiveStream({
      channel,
      ...fanout,
      events: {
        tagIn: (tag) => {
          if (tag.kind === "keyframe" || tag.kind === "interframe")
            this.metrics.framesIn.inc({ type: "video" });
          else if (tag.kind === "audio") this.metrics.framesIn.inc({ type: "audio" });
        },
        viewerSkipped: (viewer) => this.metrics.keyframeSkips.inc({ protocol: viewer.protocol }),
        viewerDropped: (viewer) => this.metrics.viewersDropped.inc({ protocol: viewer.protocol }),
        ended: (ended) => {
          for (const [protocol, bytes] of Object.entries(ended.sentBytes)) {
            this.endedSentBytes[protocol as TViewerProtocol] += bytes;
          }
          this.hlsAudience.forget(channel);
        },
      },
    });
  }

  /** Beside a broadcast published here, with ffmpeg: its recording, HLS (where viewers are served), thumbnails. */
  private createAttachments(stream: LiveStream, broadcastId: string): StreamAttachment[] {
    if (!this.hasFfmpeg) return [];
    const { options } = this;
    const { channel } = stream;
    const attachments: StreamAttachment[] = [];
    if (this.archive) attachments.push(this.archive.recorder(stream, broadcastId));
    if (options.role !== "origin") attachments.push(this.hlsPackager(stream));
    if (options.thumbnailDir) {
      attachments.push(
        new ThumbnailGrabber(stream, {
          ffmpegPath: options.ffmpegPath,
          ffmpegEnv: options.ffmpegEnv,
          dir: options.thumbnailDir,
          intervalMs: options.thumbnailIntervalMs ?? DEFAULT_THUMBNAIL_INTERVAL_MS,
          log: options.log.child({ component: "thumbnails", channel }),
        }),
      );
    }
    return attachments;
  }

  private hlsPackager(stream: LiveStream): HlsPackager {
    const { options } = this;
    return new HlsPackager(stream, {
      ffmpegPath: options.ffmpegPath,
      ffmpegEnv: options.ffmpegEnv,
      dir: this.hlsDir(stream.channel),
      segmentSeconds: options.hlsSegmentSeconds,
      log: options.log.child({ component: "hls", channel: stream.channel }),
    });
  }

  private startRelayedHls(stream: LiveStream): void {
    if (!this.hasFfmpeg) return;
    const packager = this.hlsPackager(stream);
    this.relayedHls.set(stream, packager);
    packager
      .start()
      .catch((error: unknown) =>
        this.options.log.error({ err: error, channel: stream.channel }, "HLS packager failed to start"),
      );
  }

  private stopRelayedHls(stream: LiveStream): void {
    const packager = this.relayedHls.get(stream);
    this.relayedHls.delete(stream);
    packager?.close().catch(() => {});
  }

  private relayEvents(pulled: (delta: number) => void): RelayEvents {
    return {
      connectionOpened: () => pulled(1),
      connectionClosed: () => pulled(-1),
      bytesIn: (bytes) => this.metrics.relayBytes.inc({ direction: "in" }, bytes),
      bytesOut: (bytes) => this.metrics.relayBytes.inc({ direction: "out" }, bytes),
      authFailed: () => this.metrics.relayAuthFailures.inc(),
      roundTrip: (ms) => this.metrics.relayHopDelay.observe(ms / 2 / 1000),
    };
  }

  /** People watching a stream here, by protocol (the node's own taps and relayed edges are not). */
  private audienceOf(stream: LiveStream): TAudience {
    const counts = stream.viewerCounts();
    return {
      "http-flv": counts["http-flv"],
      "ws-flv": counts["ws-flv"],
      rtmp: counts.rtmp,
      hls: this.hlsAudience.count(stream.channel),
    };
  }

  private viewersOf(stream: LiveStream): TViewerCounts {
    const audience = this.audienceOf(stream);
    return { ...audience, total: audience["http-flv"] + audience["ws-flv"] + audience.rtmp + audience.hls };
  }

  private totalViewers(): Record<TAudienceProtocol, number> {
    const totals = { ...NO_AUDIENCE };
    for (const stream of this.streams()) {
      const counts = this.audienceOf(stream);
      for (const protocol of Object.keys(totals) as TAudienceProtocol[]) totals[protocol] += counts[protocol];
    }
    return totals;
  }

  private totalSentBytes(): Record<TViewerProtocol, number> {
    const totals = { ...this.endedSentBytes };
    for (const stream of this.streams()) {
      for (const [protocol, bytes] of Object.entries(stream.sentBytes))
        totals[protocol as TViewerProtocol] += bytes;
    }
    return totals;
  }

  /** At capacity: no new viewers here while a sibling has room. */
  private isFull(): boolean {
    if (this.isDraining) return true;
    const capacity = this.options.capacity ?? DEFAULT_CAPACITY;
    const viewers = Object.values(this.totalViewers()).reduce((sum, count) => sum + count, 0);
    return viewers >= capacity.viewers || this.egressMbps >= capacity.mbps;
  }

  /** Viewers connected to this node: HTTP-FLV, WS-FLV and RTMP (HLS players hold no connection). */
  private audienceConnections(): number {
    const viewers = this.totalViewers();
    return viewers.rtmp + viewers["http-flv"] + viewers["ws-flv"];
  }

  /** Measures egress to viewers and edges, in Mbit/s, from the byte counters since the last sample. */
  private sampleEgress(): void {
    const bytes = Object.values(this.totalSentBytes()).reduce((sum, each) => sum + each, 0);
    const at = performance.now();
    const last = this.lastEgressSample;
    this.lastEgressSample = { bytes, at };
    if (last && at > last.at)
      this.egressMbps = Math.round(((bytes - last.bytes) * 8) / (at - last.at) / 100) / 10;
  }

  private hlsDir(channel: string): string {
    return join(this.options.hlsDir, channel);
  }
}

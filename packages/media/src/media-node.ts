import type { Socket } from "node:net";
import { join } from "node:path";
import type { TrustedProxies } from "@relaycast/config";
import type { Logger } from "@relaycast/logger";
import type { TStreamStatus } from "./api/stream-api.ts";
import { LiveStream } from "./edge/live-stream.ts";
import {
  DEFAULT_VIEWER_LIMITS,
  type TAudienceProtocol,
  type TViewerProtocol,
  type ViewerLimits,
  zeroByProtocol,
} from "./edge/viewer.ts";
import { HlsAudience } from "./edge/hls/hls-audience.ts";
import { canRunFfmpeg } from "./edge/hls/find-ffmpeg.ts";
import { HlsPackager } from "./edge/hls/hls-packager.ts";
import { MediaHttpServer } from "./edge/http/media-http-server.ts";
import { Admission } from "./ingest/admission.ts";
import { RtmpServer } from "./ingest/rtmp-server.ts";
import { decideRtmpPlay } from "./edge/rtmp-player.ts";
import { ConnectionLimits } from "./limits/connection-limits.ts";
import {
  BroadcastManager,
  type BroadcastView,
  type StreamAttachment,
} from "./live-state/broadcast-manager.ts";
import type { BroadcastStore } from "./live-state/broadcast-store.ts";
import { MediaMetrics } from "./metrics/media-metrics.ts";
import { routeNmsLogging } from "./nms/nms-logging.ts";
import {
  DEFAULT_THUMBNAIL_INTERVAL_MS,
  ThumbnailGrabber,
  thumbnailPath,
} from "./thumbnails/thumbnail-grabber.ts";

export type TMediaRole = "origin" | "edge" | "all";

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
  log: Logger;
};

export const DEFAULT_FANOUT: MediaNodeOptions["fanout"] = {
  flushIntervalMs: 20,
  maxGopBytes: 8 * 1024 * 1024,
  maxGopMs: 10_000,
  viewerLimits: DEFAULT_VIEWER_LIMITS,
};

const VIEWER_SAMPLE_MS = 5_000;

/** One media process: RTMP ingest and play, HTTP/WS-FLV, HLS, thumbnails, live state, metrics. */
export class MediaNode {
  private readonly broadcasts: BroadcastManager;
  private readonly admission: Admission;
  private readonly rtmp: RtmpServer;
  private readonly http: MediaHttpServer;
  private readonly metrics: MediaMetrics;
  private readonly hlsAudience = new HlsAudience();
  /** Bytes sent by streams that have ended, so the counters never go down. */
  private readonly endedSentBytes = zeroByProtocol();
  private readonly sampleTimer: NodeJS.Timeout;
  private hasFfmpeg = false;

  constructor(private readonly options: MediaNodeOptions) {
    const log = options.log;
    routeNmsLogging(log);
    this.metrics = new MediaMetrics({
      streams: () => this.broadcasts.list().length,
      viewersByProtocol: () => this.totalViewers(),
      queuedBytes: () => this.broadcasts.list().reduce((sum, view) => sum + view.stream.queuedBytes(), 0),
      rtmpConnections: () => this.rtmp.connectionCount,
      bytesOutByProtocol: () => this.totalSentBytes(),
    });
    this.broadcasts = new BroadcastManager({
      store: options.store,
      admissionTimeoutMs: options.admissionTimeoutMs,
      reconnectGraceMs: options.reconnectGraceMs,
      createStream: (channel) => this.createStream(channel),
      createAttachments: (stream) => this.createAttachments(stream),
      countViewers: (stream) => this.viewersOf(stream).total,
      log,
    });
    this.admission = new Admission({
      findChannelByStreamKey: (streamKey) => options.store.findChannelByStreamKey(streamKey),
      admissionTimeoutMs: options.admissionTimeoutMs,
      revalidateIntervalMs: 5_000,
      acceptsPublishers: options.role !== "edge",
      broadcasts: this.broadcasts,
      admission: (result) => this.metrics.admissions.inc({ result }),
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
        publish: (request, connection) => this.admission.admit(request, connection),
        play: (request) =>
          decideRtmpPlay(request, async (name) => this.broadcasts.find(name)?.stream ?? null),
        bytesIn: (bytes) => this.metrics.bytesIn.inc(bytes),
        peerError: (code) => this.metrics.peerErrors.inc({ protocol: "rtmp", code }),
      },
      log,
    });
    this.http = new MediaHttpServer({
      host: options.host,
      port: options.httpPort,
      corsOrigin: options.corsOrigin,
      maxConnections: options.maxConnections,
      limits,
      trustedProxies: options.trustedProxies,
      refused,
      peerError: (protocol, code) => this.metrics.peerErrors.inc({ protocol, code }),
      routes: {
        find: async (name) => this.broadcasts.find(name)?.stream ?? null,
        describe: (name) => {
          const view = this.broadcasts.find(name);
          return view && this.describe(view);
        },
        list: () => this.broadcasts.list().map((view) => this.describe(view)),
        metrics: async () => ({
          contentType: this.metrics.registry.contentType,
          body: await this.metrics.registry.metrics(),
        }),
        hlsDir: (name) => this.hlsDir(name),
        thumbnailPath: (name) => (options.thumbnailDir ? thumbnailPath(options.thumbnailDir, name) : null),
        hlsAudience: this.hlsAudience,
      },
      log,
    });
    this.sampleTimer = setInterval(() => this.broadcasts.recordViewers(), VIEWER_SAMPLE_MS);
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
    await this.broadcasts.start();
    await this.http.start();
    await this.rtmp.start();
    this.options.log.info({ role: this.options.role, nodeId: this.options.nodeId }, "media node started");
  }

  /** The ports bound, once started (tests and benchmarks listen on port 0). */
  get ports(): { rtmp: number; http: number } {
    return { rtmp: this.rtmp.port, http: this.http.port };
  }

  /**
   * Serves a connection handed over rather than accepted by a listener: a socket passed from another
   * process, or the fuzzer's in-memory streams, which drive the same code as a TCP peer.
   */
  accept(listener: "rtmp" | "http", socket: Socket): void {
    if (listener === "rtmp") this.rtmp.accept(socket);
    else this.http.accept(socket);
  }

  async close(): Promise<void> {
    clearInterval(this.sampleTimer);
    await this.rtmp.close();
    this.admission.close();
    await this.broadcasts.close();
    await this.http.close();
  }

  /** What the dashboard and the public API show about a live stream. */
  private describe(view: BroadcastView): TStreamStatus {
    const now = Date.now();
    return {
      channel: view.name,
      state: view.state,
      startedAt: view.startedAt.toISOString(),
      uptimeSeconds: Math.round((now - view.startedAt.getTime()) / 1000),
      viewers: this.viewersOf(view.stream),
      health: view.stream.stats.snapshot(now),
    };
  }

  private createStream(channel: string): LiveStream {
    const { fanout } = this.options;
    return new LiveStream({
      channel,
      ...fanout,
      events: {
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

  /** The HLS packager and the thumbnail grabber, when ffmpeg runs here. */
  private createAttachments(stream: LiveStream): StreamAttachment[] {
    if (!this.hasFfmpeg) return [];
    const { options } = this;
    const { channel } = stream;
    const attachments: StreamAttachment[] = [
      new HlsPackager(stream, {
        ffmpegPath: options.ffmpegPath,
        ffmpegEnv: options.ffmpegEnv,
        dir: this.hlsDir(channel),
        segmentSeconds: options.hlsSegmentSeconds,
        log: options.log.child({ component: "hls", channel }),
      }),
    ];
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

  /**
   * Viewers by protocol: the connected ones, and HLS clients by playlist fetches. The node's own taps
   * (the HLS packager's, the thumbnail grabber's) are not an audience.
   */
  private viewersOf(stream: LiveStream): Record<TAudienceProtocol | "total", number> {
    const counts = stream.viewerCounts();
    const viewers: Record<TAudienceProtocol, number> = {
      "http-flv": counts["http-flv"],
      "ws-flv": counts["ws-flv"],
      rtmp: counts.rtmp,
      hls: this.hlsAudience.count(stream.channel),
    };
    return { ...viewers, total: viewers["http-flv"] + viewers["ws-flv"] + viewers.rtmp + viewers.hls };
  }

  private totalViewers(): Record<TAudienceProtocol, number> {
    const totals: Record<TAudienceProtocol, number> = { "http-flv": 0, "ws-flv": 0, rtmp: 0, hls: 0 };
    for (const view of this.broadcasts.list()) {
      const counts = this.viewersOf(view.stream);
      for (const protocol of Object.keys(totals) as TAudienceProtocol[]) totals[protocol] += counts[protocol];
    }
    return totals;
  }

  private totalSentBytes(): Record<TViewerProtocol, number> {
    const totals = { ...this.endedSentBytes };
    for (const view of this.broadcasts.list()) {
      for (const [protocol, bytes] of Object.entries(view.stream.sentBytes))
        totals[protocol as TViewerProtocol] += bytes;
    }
    return totals;
  }

  private hlsDir(channel: string): string {
    return join(this.options.hlsDir, channel);
  }
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TAudienceProtocol, TViewerProtocol } from "../edge/viewer.ts";

export type TAdmissionResult = "admitted" | "refused-key" | "refused-live" | "refused-role" | "unavailable";

export type MediaMetricsSource = {
  streams(): number;
  viewersByProtocol(): Record<TAudienceProtocol, number>;
  queuedBytes(): number;
  bytesOutByProtocol(): Record<TViewerProtocol, number>;
  rtmpConnections(): number;
  /** Relay connections open: to edges (as an origin) and to origins (as an edge). */
  relayConnections(): { served: number; pulled: number };
  /** Channels this edge pulls from an origin: one upstream each. */
  upstreams(): number;
  /** Seconds since the registry last took this node's heartbeat (-1 before the first). */
  heartbeatAgeSeconds(): number;
};

/** Prometheus metrics of one media node, served as text at /metrics. */
export class MediaMetrics {
  readonly registry = new Registry();
  readonly bytesIn: Counter;
  readonly framesIn: Counter<"type">;
  readonly keyframeSkips: Counter<"protocol">;
  readonly viewersDropped: Counter<"protocol">;
  readonly admissions: Counter<"result">;
  readonly peerErrors: Counter<"protocol" | "code">;
  readonly connectionsRefused: Counter<"reason">;
  readonly relayBytes: Counter<"direction">;
  readonly relayAuthFailures: Counter;
  readonly relayHopDelay: Histogram;
  readonly redirects: Counter<"protocol">;
  readonly recordingFailures: Counter<"reason">;

  constructor(source: MediaMetricsSource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "relaycast_media_" });
    this.bytesIn = new Counter({
      name: "relaycast_media_bytes_in_total",
      help: "Bytes received on RTMP",
      registers,
    });
    new Counter({
      name: "relaycast_media_bytes_out_total",
      help: "Bytes sent to viewers by protocol (hls: to the HLS packager; thumbnail: to the thumbnail grabber)",
      labelNames: ["protocol"],
      registers,
      collect() {
        this.reset();
        for (const [protocol, bytes] of Object.entries(source.bytesOutByProtocol()))
          this.inc({ protocol }, bytes);
      },
    });
    this.framesIn = new Counter({
      name: "relaycast_media_frames_in_total",
      help: "Audio and video frames into the live streams of this node (from publishers, or relayed from origins)",
      labelNames: ["type"],
      registers,
    });
    this.keyframeSkips = new Counter({
      name: "relaycast_media_viewer_keyframe_skips_total",
      help: "Times a viewer that fell behind was skipped to the next keyframe",
      labelNames: ["protocol"],
      registers,
    });
    this.viewersDropped = new Counter({
      name: "relaycast_media_viewers_dropped_total",
      help: "Viewers closed for staying behind",
      labelNames: ["protocol"],
      registers,
    });
    this.admissions = new Counter({
      name: "relaycast_media_publish_admissions_total",
      help: "Publish attempts by result",
      labelNames: ["result"],
      registers,
    });
    this.peerErrors = new Counter({
      name: "relaycast_media_peer_errors_total",
      help: "Connections closed for what their peer sent, by error code (INTERNAL: a fault their input triggered)",
      labelNames: ["protocol", "code"],
      registers,
    });
    this.connectionsRefused = new Counter({
      name: "relaycast_media_connections_refused_total",
      help: "Connections refused at accept (per-client: the client's cap; pending: too many not yet admitted)",
      labelNames: ["reason"],
      registers,
    });
    this.relayBytes = new Counter({
      name: "relaycast_media_relay_bytes_total",
      help: "Bytes on relay connections between nodes (in: received, out: sent)",
      labelNames: ["direction"],
      registers,
    });
    this.relayAuthFailures = new Counter({
      name: "relaycast_media_relay_auth_failures_total",
      help: "Relay peers that could not prove they know the cluster secret",
      registers,
    });
    this.relayHopDelay = new Histogram({
      name: "relaycast_media_relay_hop_delay_seconds",
      help: "One-way delay of a relay hop, estimated as half the keep-alive round trip",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.recordingFailures = new Counter({
      name: "relaycast_media_recording_failures_total",
      help: "Recordings that stopped before their broadcast (a slow or full disk, a recorder that died), by reason",
      labelNames: ["reason"],
      registers,
    });
    this.redirects = new Counter({
      name: "relaycast_media_redirects_total",
      help: "New viewers this edge sent to a sibling because it was at capacity, by protocol",
      labelNames: ["protocol"],
      registers,
    });
    new Gauge({
      name: "relaycast_media_relay_connections",
      help: "Open relay connections (served: edges pulling from this node; pulled: this edge's upstreams)",
      labelNames: ["direction"],
      registers,
      collect() {
        const { served, pulled } = source.relayConnections();
        this.set({ direction: "served" }, served);
        this.set({ direction: "pulled" }, pulled);
      },
    });
    new Gauge({
      name: "relaycast_media_upstreams",
      help: "Channels this node pulls from an origin (one upstream per channel)",
      registers,
      collect() {
        this.set(source.upstreams());
      },
    });
    new Gauge({
      name: "relaycast_media_registry_heartbeat_age_seconds",
      help: "Seconds since the cluster registry last took this node's heartbeat (-1: never)",
      registers,
      collect() {
        this.set(source.heartbeatAgeSeconds());
      },
    });
    new Gauge({
      name: "relaycast_media_streams",
      help: "Live streams on this node",
      registers,
      collect() {
        this.set(source.streams());
      },
    });
    new Gauge({
      name: "relaycast_media_viewers",
      help: "Connected viewers by protocol",
      labelNames: ["protocol"],
      registers,
      collect() {
        for (const [protocol, count] of Object.entries(source.viewersByProtocol()))
          this.set({ protocol }, count);
      },
    });
    new Gauge({
      name: "relaycast_media_viewer_queue_bytes",
      help: "Bytes queued for viewers, all streams",
      registers,
      collect() {
        this.set(source.queuedBytes());
      },
    });
    new Gauge({
      name: "relaycast_media_rtmp_connections",
      help: "Open RTMP connections",
      registers,
      collect() {
        this.set(source.rtmpConnections());
      },
    });
  }
}

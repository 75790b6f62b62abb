import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { TAudienceProtocol, TViewerProtocol } from "../edge/viewer.ts";

export type TAdmissionResult = "admitted" | "refused-key" | "refused-live" | "refused-role" | "unavailable";

export type MediaMetricsSource = {
  streams(): number;
  viewersByProtocol(): Record<TAudienceProtocol, number>;
  queuedBytes(): number;
  bytesOutByProtocol(): Record<TViewerProtocol, number>;
  rtmpConnections(): number;
};

/** Prometheus metrics of one media node, served as text at /metrics. */
export class MediaMetrics {
  readonly registry = new Registry();
  readonly bytesIn: Counter;
  readonly keyframeSkips: Counter<"protocol">;
  readonly viewersDropped: Counter<"protocol">;
  readonly admissions: Counter<"result">;
  readonly peerErrors: Counter<"protocol" | "code">;
  readonly connectionsRefused: Counter<"reason">;

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

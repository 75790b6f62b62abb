import { FLV_HEADER } from "../flv/flv-tag.ts";
import { timestampDelta } from "../flv/timestamp.ts";
import type { MediaTag } from "../flv/media-tag.ts";
import { shareTag, type SharedTag, type TWireFormat } from "./shared-tag.ts";
import { StreamStats } from "./stream-stats.ts";
import { Timeline } from "./timeline.ts";
import {
  DEFAULT_VIEWER_LIMITS,
  Viewer,
  type TViewerProtocol,
  type ViewerLimits,
  type ViewerSink,
  zeroByProtocol,
} from "./viewer.ts";

/** Viewers that are people watching, as opposed to this node's ffmpeg sidecars and the edges it relays to. */
const PERSON_PROTOCOLS: ReadonlySet<TViewerProtocol> = new Set(["http-flv", "ws-flv", "rtmp"]);

export type LiveStreamOptions = {
  channel: string;
  /** The GOP kept for new viewers is dropped past these bounds; they then start at the next keyframe. */
  maxGopBytes: number;
  maxGopMs: number;
  /** Viewers' queued tags are written once per tick: one system call per viewer per tick. */
  flushIntervalMs: number;
  viewerLimits?: ViewerLimits;
  events?: LiveStreamEvents;
};

export type LiveStreamEvents = {
  tagIn?(tag: MediaTag): void;
  viewerSkipped?(viewer: Viewer): void;
  viewerDropped?(viewer: Viewer): void;
  ended?(stream: LiveStream): void;
};

/**
 * One channel's published stream on this node: the tags of its publisher (or publishers, when one
 * reconnects), the sequence headers and the current GOP, and the viewers it fans out to.
 */
export class LiveStream {
  readonly channel: string;
  readonly stats = new StreamStats();
  private metadata: SharedTag | null = null;
  private audioHeader: SharedTag | null = null;
  private videoHeader: SharedTag | null = null;
  private gop: SharedTag[] = [];
  private gopBytes = 0;
  private readonly viewers = new Set<Viewer>();
  private readonly timeline = new Timeline();
  private readonly flushTimer: NodeJS.Timeout;
  /** Bytes written to viewers since the stream began, by protocol. */
  readonly sentBytes: Record<TViewerProtocol, number> = zeroByProtocol();

  constructor(private readonly options: LiveStreamOptions) {
    this.channel = options.channel;
    this.flushTimer = setInterval(() => this.flush(), options.flushIntervalMs);
    this.flushTimer.unref();
  }

  push(tag: MediaTag, now = Date.now()): void {
    const isFrame = tag.kind !== "metadata" && tag.kind !== "audio-header" && tag.kind !== "video-header";
    const rebased = { ...tag, timestamp: isFrame ? this.timeline.frame(tag.timestamp) : this.timeline.now() };
    this.stats.record(rebased, now);
    this.options.events?.tagIn?.(rebased);
    const shared = shareTag(rebased);
    this.remember(shared);
    for (const viewer of this.viewers) viewer.enqueue(shared);
  }

  /** A new publisher (a reconnect within the grace period) takes over this stream. */
  publisherReplaced(): void {
    this.timeline.restart();
    this.stats.publisherChanged();
    this.gop = [];
    this.gopBytes = 0;
  }

  /** Attaches a viewer; `limits` other than the stream's are for this node's own taps (the recorder). */
  addViewer(
    protocol: TViewerProtocol,
    format: TWireFormat,
    sink: ViewerSink,
    limits: ViewerLimits = this.options.viewerLimits ?? DEFAULT_VIEWER_LIMITS,
  ): Viewer {
    const viewer = new Viewer(
      protocol,
      format,
      sink,
      {
        // The relay frames tags as FLV but is not an FLV file: no file header.
        preamble: (target, withFileHeader) =>
          this.preamble(target.format, withFileHeader && target.protocol !== "relay"),
        skippedToKeyframe: (target) => this.options.events?.viewerSkipped?.(target),
        dropped: (target) => {
          this.viewers.delete(target);
          this.options.events?.viewerDropped?.(target);
        },
      },
      limits,
    );
    for (const tag of this.gop) viewer.enqueue(tag, { isBacklog: true });
    this.viewers.add(viewer);
    this.sentBytes[protocol] += viewer.flush(Date.now());
    return viewer;
  }

  removeViewer(viewer: Viewer): void {
    this.viewers.delete(viewer);
  }

  viewerCounts(): Record<TViewerProtocol, number> {
    const counts = zeroByProtocol();
    for (const viewer of this.viewers) counts[viewer.protocol] += 1;
    return counts;
  }

  queuedBytes(): number {
    let bytes = 0;
    for (const viewer of this.viewers) bytes += viewer.queueBytes;
    return bytes;
  }

  /**
   * The node is going away: every person watching (not the node's own sidecars, nor edges) is
   * closed, so their players ask the director again. Returns how many were closed.
   */
  closeAudience(): number {
    let closed = 0;
    for (const viewer of this.viewers) {
      if (!PERSON_PROTOCOLS.has(viewer.protocol)) continue;
      this.viewers.delete(viewer);
      viewer.close("server-closing");
      closed += 1;
    }
    return closed;
  }

  /** The stream is over: every viewer is closed. */
  end(): void {
    clearInterval(this.flushTimer);
    for (const viewer of this.viewers) viewer.close("stream-ended");
    this.viewers.clear();
    this.gop = [];
    this.options.events?.ended?.(this);
  }

  private flush(): void {
    const now = Date.now();
    for (const viewer of this.viewers) this.sentBytes[viewer.protocol] += viewer.flush(now);
  }

  private remember(tag: SharedTag): void {
    switch (tag.kind) {
      case "metadata":
        this.metadata = tag;
        return;
      case "audio-header":
        this.audioHeader = tag;
        return;
      case "video-header":
        this.videoHeader = tag;
        return;
      case "keyframe":
        this.gop = [tag];
        this.gopBytes = tag.flv.length;
        return;
      default:
        if (this.gop.length === 0) return;
        this.gop.push(tag);
        this.gopBytes += tag.flv.length;
        if (
          this.gopBytes > this.options.maxGopBytes ||
          timestampDelta(tag.timestamp, this.gop[0]!.timestamp) > this.options.maxGopMs
        ) {
          this.gop = [];
          this.gopBytes = 0;
        }
    }
  }

  private preamble(format: TWireFormat, withFileHeader: boolean): Buffer[] {
    const buffers = format === "flv" && withFileHeader ? [FLV_HEADER] : [];
    for (const header of [this.metadata, this.audioHeader, this.videoHeader]) {
      if (header) buffers.push(header[format]);
    }
    return buffers;
  }
}

import type { LoopDelay } from "../shared/loop-delay.ts";
import type { PerProtocol } from "./per-protocol.ts";
import type { PlayTarget } from "./viewers/viewer.ts";

/** The IPC protocol between the benchmark and its load-generator processes. */

export type LoadGeneratorConfig = { target: PlayTarget };

export type OpenViewersRequest = {
  kind: "open";
  counts: PerProtocol<number>;
  /** How many of the new viewers of each protocol read every tag's timestamp. */
  sampled: PerProtocol<number>;
  batchSize: number;
  batchIntervalMs: number;
  /** How long to wait for the new viewers' first keyframes. */
  keyframeTimeoutMs: number;
};

export type LoadRequest =
  OpenViewersRequest | { kind: "window-start" } | { kind: "window-end" } | { kind: "close" };

export type OpenedViewers = {
  protocols: PerProtocol<OpenedProtocol>;
  /** The generator's own event-loop delay while opening: high values make its timings late. */
  loopDelay: LoopDelay;
};

export type OpenedProtocol = {
  opened: number;
  /** Connect → first complete video keyframe tag, for those that got one in time. */
  timeToFirstKeyframeMs: number[];
  /** Connect → first byte from the server (for RTMP, the handshake answer). */
  timeToFirstByteMs: number[];
  withoutKeyframe: number;
};

export type WindowReport = {
  windowMs: number;
  loopDelay: LoopDelay;
  protocols: PerProtocol<{
    /** Viewers opened so far. */
    opened: number;
    /** Viewers playing at the end of the window (first keyframe received, connection still open). */
    playing: number;
    /** Bytes each playing viewer received during the window. */
    windowBytes: number[];
    /** Sampled viewers' frames during the window, as flat (tag type, timestamp, arrival wall clock) triples. */
    frames: number[];
    /** Why viewers closed, since the start. */
    failures: Record<string, number>;
  }>;
};

export type LoadResponse<R extends LoadRequest> = R extends OpenViewersRequest
  ? OpenedViewers
  : R extends { kind: "window-end" }
    ? WindowReport
    : null;

export type RequestEnvelope = { id: number; request: LoadRequest };
export type ResponseEnvelope = { id: number; response?: unknown; error?: string };

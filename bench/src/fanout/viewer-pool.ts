import { setTimeout as sleep } from "node:timers/promises";
import { LoopDelayMonitor } from "../shared/loop-delay.ts";
import type { OpenViewersRequest, OpenedViewers, WindowReport } from "./load-messages.ts";
import { perProtocol, type PerProtocol } from "./per-protocol.ts";
import { HttpFlvViewer } from "./viewers/http-flv-viewer.ts";
import { RtmpViewer } from "./viewers/rtmp-viewer.ts";
import {
  FrameArrivalLog,
  PLAY_PROTOCOLS,
  type PlayTarget,
  type TPlayProtocol,
  type Viewer,
} from "./viewers/viewer.ts";
import { WsFlvViewer } from "./viewers/ws-flv-viewer.ts";

const POLL_MS = 50;

/** The viewers of one load-generator process, opened in batches and measured over windows. */
export class ViewerPool {
  private readonly viewers: Viewer[] = [];
  private readonly arrivals = perProtocol(() => new FrameArrivalLog());
  private window: { startedAt: number; bytes: Map<Viewer, number> } | null = null;
  private readonly loopDelay = new LoopDelayMonitor();

  constructor(private readonly target: PlayTarget) {}

  async open(request: OpenViewersRequest): Promise<OpenedViewers> {
    this.loopDelay.take();
    const order = interleave(request.counts);
    const sampledLeft = { ...request.sampled };
    const opened: Viewer[] = [];
    for (let start = 0; start < order.length; start += request.batchSize) {
      if (start > 0) await sleep(request.batchIntervalMs);
      for (const protocol of order.slice(start, start + request.batchSize)) {
        const isSampled = sampledLeft[protocol] > 0;
        if (isSampled) sampledLeft[protocol] -= 1;
        const viewer = this.create(protocol, isSampled ? this.arrivals[protocol] : null);
        viewer.open();
        opened.push(viewer);
        this.viewers.push(viewer);
      }
    }
    const deadline = Date.now() + request.keyframeTimeoutMs;
    while (
      Date.now() < deadline &&
      opened.some((viewer) => viewer.firstKeyframeAt === null && !viewer.failure)
    )
      await sleep(POLL_MS);
    const protocols = perProtocol((protocol) => {
      const mine = opened.filter((viewer) => viewer.protocol === protocol);
      const started = mine.filter((viewer) => viewer.firstKeyframeAt !== null);
      return {
        opened: mine.length,
        timeToFirstKeyframeMs: started.map((viewer) => viewer.firstKeyframeAt! - viewer.openedAt),
        timeToFirstByteMs: mine.flatMap((viewer) =>
          viewer.firstByteAt === null ? [] : [viewer.firstByteAt - viewer.openedAt],
        ),
        withoutKeyframe: mine.length - started.length,
      };
    });
    return { protocols, loopDelay: this.loopDelay.take() };
  }

  startWindow(): void {
    this.loopDelay.take();
    this.window = {
      startedAt: Date.now(),
      bytes: new Map(this.viewers.map((viewer) => [viewer, viewer.bytes])),
    };
    for (const log of Object.values(this.arrivals)) {
      log.frames = [];
      log.isRecording = true;
    }
  }

  endWindow(): WindowReport {
    const window = this.window ?? { startedAt: Date.now(), bytes: new Map<Viewer, number>() };
    this.window = null;
    for (const log of Object.values(this.arrivals)) log.isRecording = false;
    return {
      windowMs: Date.now() - window.startedAt,
      loopDelay: this.loopDelay.take(),
      protocols: perProtocol((protocol) => {
        const mine = this.viewers.filter((viewer) => viewer.protocol === protocol);
        const playing = mine.filter((viewer) => viewer.isPlaying);
        const failures: Record<string, number> = {};
        for (const viewer of mine)
          if (viewer.failure) failures[viewer.failure] = (failures[viewer.failure] ?? 0) + 1;
        return {
          opened: mine.length,
          playing: playing.length,
          windowBytes: playing.map((viewer) => viewer.bytes - (window.bytes.get(viewer) ?? 0)),
          frames: this.arrivals[protocol].frames,
          failures,
        };
      }),
    };
  }

  close(): void {
    for (const viewer of this.viewers) viewer.close();
  }

  private create(protocol: TPlayProtocol, arrivals: FrameArrivalLog | null): Viewer {
    switch (protocol) {
      case "http-flv":
        return new HttpFlvViewer(this.target, arrivals);
      case "ws-flv":
        return new WsFlvViewer(this.target, arrivals);
      case "rtmp":
        return new RtmpViewer(this.target, arrivals);
    }
  }
}

/** The protocols of `counts` in round-robin order, so every batch mixes them. */
function interleave(counts: PerProtocol<number>): TPlayProtocol[] {
  const left = { ...counts };
  const order: TPlayProtocol[] = [];
  while (PLAY_PROTOCOLS.some((protocol) => left[protocol] > 0)) {
    for (const protocol of PLAY_PROTOCOLS) {
      if (left[protocol] > 0) {
        order.push(protocol);
        left[protocol] -= 1;
      }
    }
  }
  return order;
}

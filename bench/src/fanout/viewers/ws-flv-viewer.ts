import { randomBytes } from "node:crypto";
import { FlvKeyframeScanner } from "./flv-keyframe-scanner.ts";
import { FlvTagTimer } from "./flv-tag-timer.ts";
import { ResponseHeadReader } from "./http-response-head.ts";
import type { StreamReader } from "./playback-events.ts";
import { Viewer, type FrameArrivalLog, type PlayTarget } from "./viewer.ts";
import { WsFrameDecoder } from "./ws-frame-decoder.ts";

/** Plays `ws://…/live/<channel>.flv` over a raw socket: upgrade, frames, FLV pieces. */
export class WsFlvViewer extends Viewer {
  private readonly head = new ResponseHeadReader();
  private isUpgraded = false;
  private readonly frames: WsFrameDecoder;
  private readonly flv: StreamReader;
  private arrivedAt = 0;

  constructor(target: PlayTarget, arrivals: FrameArrivalLog | null) {
    super("ws-flv", target, arrivals);
    this.flv = arrivals ? new FlvTagTimer(this.playback) : new FlvKeyframeScanner(this.playback);
    this.frames = new WsFrameDecoder({
      data: (piece) => this.flv.push(piece, this.arrivedAt),
      close: () => this.fail("ws: closed by the server"),
    });
  }

  protected port(): number {
    return this.target.httpPort;
  }

  protected connected(): void {
    const { host, httpPort, channel } = this.target;
    this.send(
      `GET /live/${channel}.flv HTTP/1.1\r\nHost: ${host}:${httpPort}\r\n` +
        "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  }

  protected read(chunk: Buffer, now: number): void {
    this.arrivedAt = now;
    if (!this.isUpgraded) {
      const response = this.head.push(chunk);
      if (!response) return;
      if (response.head.status !== 101) throw new Error(`ws: status ${response.head.status}`);
      this.isUpgraded = true;
      chunk = response.rest;
    }
    this.frames.push(chunk);
  }
}

import { ChunkedBodyDecoder } from "./chunked-body-decoder.ts";
import { FlvKeyframeScanner } from "./flv-keyframe-scanner.ts";
import { FlvTagTimer } from "./flv-tag-timer.ts";
import { ResponseHeadReader } from "./http-response-head.ts";
import type { StreamReader } from "./playback-events.ts";
import { Viewer, type FrameArrivalLog, type PlayTarget } from "./viewer.ts";

/** Plays `GET /live/<channel>.flv` over a raw socket: response head, chunked body, FLV. */
export class HttpFlvViewer extends Viewer {
  private readonly head = new ResponseHeadReader();
  private body: ChunkedBodyDecoder | "identity" | null = null;
  private readonly flv: StreamReader;

  constructor(target: PlayTarget, arrivals: FrameArrivalLog | null) {
    super("http-flv", target, arrivals);
    this.flv = arrivals ? new FlvTagTimer(this.playback) : new FlvKeyframeScanner(this.playback);
  }

  protected port(): number {
    return this.target.httpPort;
  }

  protected connected(): void {
    const { host, httpPort, channel } = this.target;
    this.send(
      `GET /live/${channel}.flv HTTP/1.1\r\nHost: ${host}:${httpPort}\r\n` +
        "User-Agent: relaycast-bench\r\nAccept: */*\r\n\r\n",
    );
  }

  protected read(chunk: Buffer, now: number): void {
    if (!this.body) {
      const response = this.head.push(chunk);
      if (!response) return;
      if (response.head.status !== 200) throw new Error(`http: status ${response.head.status}`);
      const isChunked = response.head.headers["transfer-encoding"]?.toLowerCase() === "chunked";
      this.body = isChunked ? new ChunkedBodyDecoder() : "identity";
      chunk = response.rest;
    }
    if (this.body === "identity") this.flv.push(chunk, now);
    else this.body.push(chunk, (piece) => this.flv.push(piece, now));
  }
}

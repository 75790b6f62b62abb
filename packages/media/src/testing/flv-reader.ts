import { request as httpRequest, type IncomingMessage } from "node:http";
import { WebSocket } from "ws";
import { FlvParser } from "../flv/flv-parser.ts";
import type { MediaTag } from "../flv/media-tag.ts";
import type { ProtocolError } from "../flv/protocol-error.ts";
import { waitFor } from "./wait.ts";

/** A tag as a viewer got it: when, and its body size (the body itself is empty unless kept). */
export type ReceivedTag = MediaTag & { receivedAt: number; size: number };

const NO_BODY = Buffer.alloc(0);

export type FlvReadLimit = {
  /** Stop after this many bytes of FLV. */
  bytes?: number;
  /** Stop after this long. */
  ms?: number;
  /** Stop after this many tags. */
  tags?: number;
};

/**
 * A viewer of an HTTP-FLV or WS-FLV URL that parses what it receives with FlvParser. For HTTP, `status`
 * is the response status (and `body` the text of a non-200 answer); for WS it is 101 once open, or the
 * status of a refused upgrade.
 */
export class FlvViewer {
  status: number | null = null;
  body = "";
  readonly tags: ReceivedTag[] = [];
  /** The raw bytes received, when `keepBytes` was asked for (for ffprobe). */
  readonly chunks: Buffer[] = [];
  byteCount = 0;
  parseError: ProtocolError | null = null;
  /** Set once the transport closed (by either side), with how. */
  closeReason: string | null = null;
  readonly closed: Promise<string>;
  private readonly parser = new FlvParser();
  private markClosed!: (reason: string) => void;
  private stopTransport: () => void = () => {};

  constructor(
    private readonly keepBytes: boolean,
    private readonly keepBodies: boolean,
  ) {
    this.closed = new Promise((resolve) => {
      this.markClosed = (reason) => {
        if (this.closeReason !== null) return;
        this.closeReason = reason;
        resolve(reason);
      };
    });
  }

  get isClosed(): boolean {
    return this.closeReason !== null;
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Media timestamps of video frames (keyframes and interframes), in arrival order. */
  videoTimestamps(): number[] {
    return this.tags
      .filter((tag) => tag.kind === "keyframe" || tag.kind === "interframe")
      .map((tag) => tag.timestamp);
  }

  close(): void {
    this.stopTransport();
    this.markClosed("closed by the test");
  }

  /** Waits until `condition` holds for this viewer (or fails if it closes first without it). */
  async until(
    condition: (viewer: FlvViewer) => boolean,
    timeoutMs = 15_000,
    what = "the FLV viewer",
  ): Promise<void> {
    await waitFor(
      () => {
        if (condition(this)) return true;
        if (this.isClosed) throw new Error(`${what} closed (${this.closeReason}) before the condition held`);
        return false;
      },
      { timeoutMs, intervalMs: 20, message: what },
    );
  }

  /** @internal */
  attach(stop: () => void): void {
    this.stopTransport = stop;
  }

  /** @internal */
  receive(chunk: Buffer): void {
    this.byteCount += chunk.length;
    if (this.keepBytes) this.chunks.push(chunk);
    if (this.parseError) return;
    const result = this.parser.push(chunk);
    if (!result.ok) {
      this.parseError = result.error;
      return;
    }
    const receivedAt = Date.now();
    for (const tag of result.tags) {
      this.tags.push({
        ...tag,
        body: this.keepBodies ? tag.body : NO_BODY,
        receivedAt,
        size: tag.body.length,
      });
    }
  }

  /** @internal */
  ended(reason: string): void {
    this.markClosed(reason);
  }
}

export type OpenFlvOptions = {
  /** Keep the raw bytes received (for ffprobe); default false. */
  keepBytes?: boolean;
  /** Keep each tag's body; default true (false for long, high-bitrate reads). */
  keepBodies?: boolean;
  headers?: Record<string, string>;
};

/** Opens an HTTP-FLV URL; resolves once the response headers arrive (any status). */
export function openHttpFlv(
  url: string,
  { keepBytes = false, keepBodies = true, headers = {} }: OpenFlvOptions = {},
): Promise<FlvViewer> {
  const viewer = new FlvViewer(keepBytes, keepBodies);
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers, agent: false });
    viewer.attach(() => request.destroy());
    request.once("error", (error) => {
      viewer.ended(`error: ${error.message}`);
      if (viewer.status === null) reject(error);
    });
    request.once("response", (response: IncomingMessage) => {
      viewer.status = response.statusCode ?? null;
      if (viewer.status === 200) response.on("data", (chunk: Buffer) => viewer.receive(chunk));
      else {
        response.setEncoding("utf8");
        response.on("data", (text: string) => (viewer.body += text));
      }
      response.once("end", () => viewer.ended("end"));
      response.once("close", () => viewer.ended(response.complete ? "end" : "aborted"));
      resolve(viewer);
    });
    request.end();
  });
}

/** Opens a WS-FLV URL; resolves once open, or with the status of a refused upgrade. */
export function openWsFlv(
  url: string,
  { keepBytes = false, keepBodies = true }: OpenFlvOptions = {},
): Promise<FlvViewer> {
  const viewer = new FlvViewer(keepBytes, keepBodies);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    viewer.attach(() => ws.terminate());
    ws.binaryType = "nodebuffer";
    ws.once("unexpected-response", (_request, response) => {
      viewer.status = response.statusCode ?? null;
      response.resume();
      ws.terminate();
      viewer.ended(`refused with ${viewer.status}`);
      resolve(viewer);
    });
    ws.once("open", () => {
      viewer.status = 101;
      resolve(viewer);
    });
    ws.on("message", (data: Buffer) => viewer.receive(data));
    ws.once("close", (code, reason) => viewer.ended(`ws close ${code} ${reason.toString()}`));
    ws.once("error", (error) => {
      viewer.ended(`error: ${error.message}`);
      if (viewer.status === null) reject(error);
    });
  });
}

/** Opens an HTTP-FLV or WS-FLV URL (by scheme). */
export function openFlv(url: string, options: OpenFlvOptions = {}): Promise<FlvViewer> {
  return url.startsWith("ws") ? openWsFlv(url, options) : openHttpFlv(url, options);
}

/**
 * Reads an HTTP-FLV or WS-FLV URL until a limit is reached (bytes, tags or time, whichever first;
 * at most `ms`, default 15 s), the server closes it, or it is refused; then closes it.
 */
export async function readFlv(url: string, limit: FlvReadLimit & OpenFlvOptions = {}): Promise<FlvViewer> {
  const { bytes, tags, ms = 15_000, keepBytes = true } = limit;
  const viewer = await openFlv(url, { keepBytes, keepBodies: limit.keepBodies, headers: limit.headers });
  if (viewer.status !== 200 && viewer.status !== 101) return viewer;
  const deadline = Date.now() + ms;
  await waitFor(
    () =>
      viewer.isClosed ||
      Date.now() >= deadline ||
      (bytes !== undefined && viewer.byteCount >= bytes) ||
      (tags !== undefined && viewer.tags.length >= tags),
    { timeoutMs: ms + 1_000, intervalMs: 10, message: `reading ${url}` },
  );
  viewer.close();
  return viewer;
}

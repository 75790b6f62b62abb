import { connect, type Socket } from "node:net";
import v8 from "node:v8";
import vm from "node:vm";

/**
 * A viewer that asks for a stream and then never reads: a raw TCP GET whose socket is paused at
 * once, so the kernel buffers fill and the server's writes back up.
 */
export class StalledHttpViewer {
  readonly socket: Socket;
  readonly connected: Promise<void>;
  isClosed = false;
  readonly closed: Promise<void>;
  private ended = false;

  constructor(port: number, path: string, host = "127.0.0.1") {
    this.socket = connect(port, host);
    this.socket.on("error", () => {});
    this.connected = new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("error", reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once("close", () => {
        this.isClosed = true;
        resolve();
      }),
    );
    this.socket.once("end", () => (this.ended = true));
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: stalled-viewer\r\n\r\n`);
    this.socket.pause();
  }

  /**
   * Reads everything the kernel holds: true if the server had ended the connection (EOF after the
   * data), false if it is still open after `timeoutMs`.
   */
  async drainAndCheckClosed(timeoutMs = 5_000): Promise<boolean> {
    this.socket.on("data", () => {});
    this.socket.resume();
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && !this.isClosed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.ended || this.isClosed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

let gcFunction: (() => void) | null = null;

/** Runs a full garbage collection (V8's gc, exposed at runtime), so memory samples compare live data. */
export function forceGc(): void {
  if (!gcFunction) {
    v8.setFlagsFromString("--expose-gc");
    gcFunction = vm.runInNewContext("gc") as () => void;
  }
  gcFunction();
}

/**
 * Bytes held in Buffers and ArrayBuffers after a full GC: where queued media lives. V8 frees
 * ArrayBuffer memory after the GC that found it dead, so this collects, yields, and collects again.
 */
export async function liveBufferBytes(): Promise<number> {
  forceGc();
  await new Promise((resolve) => setImmediate(resolve));
  forceGc();
  return process.memoryUsage().arrayBuffers;
}

import { Duplex } from "node:stream";
import type { Socket } from "node:net";

/**
 * An in-memory peer that the media node serves exactly like a TCP socket: what the fuzzer `deliver`s
 * arrives as the socket's data, what the node writes is dropped (or held, for a peer that stops reading).
 */
export class FuzzSocket extends Duplex {
  readonly remoteAddress: string;
  readonly remotePort = 40_000;
  private isReading = true;
  private held: (() => void)[] = [];
  /** Delivered while paused, for when the socket resumes. */
  private readonly unread: Buffer[] = [];
  /** What the node wrote, when kept (`keepWrites`). */
  readonly written: Buffer[] = [];
  private isKeepingWrites = false;

  constructor(address: string) {
    super({ allowHalfOpen: false });
    this.remoteAddress = address;
    this.on("error", () => {});
  }

  get asSocket(): Socket {
    return this as unknown as Socket;
  }

  /**
   * Hands bytes to the node's data handler at once, as a socket's read does: what the handler throws
   * reaches the fuzzer, where in a real process it would be an uncaught exception.
   */
  deliver(bytes: Buffer): void {
    if (this.destroyed || this.readableEnded) return;
    // A paused socket (the HTTP server pauses one between pipelined requests) reads nothing: the
    // bytes wait, as in the kernel's receive buffer, until it resumes.
    if (this.isPaused()) this.unread.push(bytes);
    else this.emit("data", bytes);
  }

  override resume(): this {
    super.resume();
    process.nextTick(() => {
      while (this.unread.length > 0 && !this.isPaused()) this.deliver(this.unread.shift()!);
    });
    return this;
  }

  keepWrites(): void {
    this.isKeepingWrites = true;
  }

  /** The peer stops reading: the node's writes pile up in its send buffer. */
  stall(): void {
    this.isReading = false;
  }

  /** The peer closes its side (FIN). */
  finish(): void {
    if (!this.destroyed) this.push(null);
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setTimeout(ms: number, callback?: () => void): this {
    if (callback && ms > 0) this.once("timeout", callback);
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.isKeepingWrites) this.written.push(chunk);
    if (this.isReading) callback();
    else this.held.push(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.held = [];
    callback(error);
  }
}

const HEAD_END = Buffer.from("\r\n\r\n");
const MAX_HEAD_BYTES = 16 * 1024;

export type ResponseHead = { status: number; headers: Record<string, string> };

/** Collects an HTTP/1.1 response head; what follows it is handed back as the start of the body. */
export class ResponseHeadReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** The head and the body bytes after it once complete, null while incomplete; throws on garbage. */
  push(chunk: Buffer): { head: ResponseHead; rest: Buffer } | null {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(HEAD_END);
    if (end === -1) {
      if (this.buffered.length > MAX_HEAD_BYTES) throw new Error("http: response head too large");
      return null;
    }
    const [statusLine = "", ...lines] = this.buffered.toString("latin1", 0, end).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    if (!Number.isInteger(status)) throw new Error("http: bad status line");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { head: { status, headers }, rest: this.buffered.subarray(end + HEAD_END.length) };
  }
}

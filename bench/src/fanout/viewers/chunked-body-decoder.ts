const CR = 0x0d;
const LF = 0x0a;
const MAX_SIZE_LINE = 64;

/** Decodes an HTTP/1.1 `transfer-encoding: chunked` body into its data, as views of the input. */
export class ChunkedBodyDecoder {
  private state: "size" | "data" | "data-end" | "done" = "size";
  private sizeLine = "";
  private left = 0;

  /** Calls `data` with each piece of body; throws on a malformed chunk header. */
  push(chunk: Buffer, data: (piece: Buffer) => void): void {
    let offset = 0;
    while (offset < chunk.length && this.state !== "done") {
      if (this.state === "data") {
        const take = Math.min(this.left, chunk.length - offset);
        data(chunk.subarray(offset, offset + take));
        offset += take;
        this.left -= take;
        if (this.left === 0) {
          this.state = "data-end";
          this.left = 2;
        }
      } else if (this.state === "data-end") {
        const take = Math.min(this.left, chunk.length - offset);
        offset += take;
        this.left -= take;
        if (this.left === 0) this.state = "size";
      } else {
        const byte = chunk[offset++]!;
        if (byte === LF) this.endSizeLine();
        else if (byte !== CR) this.sizeLine += String.fromCharCode(byte);
        if (this.sizeLine.length > MAX_SIZE_LINE) throw new Error("http: chunk size line too long");
      }
    }
  }

  private endSizeLine(): void {
    const size = Number.parseInt(this.sizeLine.split(";")[0]!.trim(), 16);
    this.sizeLine = "";
    if (!Number.isInteger(size) || size < 0) throw new Error("http: bad chunk size");
    if (size === 0) {
      this.state = "done";
      return;
    }
    this.state = "data";
    this.left = size;
  }
}

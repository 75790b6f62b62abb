import { open, truncate } from "node:fs/promises";

const LOG_POLL_MS = 100;
/** The log file is emptied past this size (InspIRCd appends with O_APPEND, so it continues at 0). */
const LOG_MAX_BYTES = 16 * 1024 * 1024;

/** Reads the lines appended to a log file, every LOG_POLL_MS, until close(). */
export class LogTail {
  private offset = 0;
  private partial = "";
  private reading: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private isClosed = false;

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string) => void,
  ) {
    this.timer = setInterval(() => this.poll(), LOG_POLL_MS);
  }

  /** Reads what is left, then stops. */
  async close(): Promise<void> {
    if (this.isClosed) return this.reading;
    this.isClosed = true;
    clearInterval(this.timer);
    this.reading = this.reading.then(() => this.read());
    await this.reading;
    if (this.partial) this.onLine(this.partial);
    this.partial = "";
  }

  private poll(): void {
    this.reading = this.reading.then(() => this.read());
  }

  private async read(): Promise<void> {
    const file = await open(this.path, "r").catch(() => null);
    if (!file) return;
    try {
      const { size } = await file.stat();
      if (size < this.offset) this.offset = 0;
      while (this.offset < size) {
        const buffer = Buffer.alloc(Math.min(64 * 1024, size - this.offset));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const lines = (this.partial + buffer.subarray(0, bytesRead).toString("utf8")).split("\n");
        this.partial = lines.pop() ?? "";
        for (const line of lines) this.onLine(line);
      }
      if (this.offset > LOG_MAX_BYTES) {
        await truncate(this.path, 0);
        this.offset = 0;
      }
    } finally {
      await file.close();
    }
  }
}

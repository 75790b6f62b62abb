import type { Logger } from "@relaycast/logger";
import type { TIrcChatLine } from "../irc/irc-line.ts";

const FLUSH_INTERVAL_MS = 200;
const MAX_BATCH = 500;
/** Lines held while the database is away; beyond this the oldest are dropped (and logged). */
const MAX_PENDING = 20_000;

/**
 * Persists chat lines in batches, off the delivery path: viewers get a line before it is written.
 * A failed write is retried with the next batch.
 */
export class ChatMessageWriter {
  #pending: TIrcChatLine[] = [];
  #isFlushing = false;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly save: (lines: TIrcChatLine[]) => Promise<unknown>,
    private readonly log: Logger,
  ) {
    this.#timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.#timer.unref();
  }

  add(line: TIrcChatLine) {
    this.#pending.push(line);
    if (this.#pending.length > MAX_PENDING) {
      const dropped = this.#pending.splice(0, this.#pending.length - MAX_PENDING);
      this.log.error(
        { dropped: dropped.length },
        "chat history writes are failing; dropped the oldest lines",
      );
    }
  }

  async flush(): Promise<void> {
    if (this.#isFlushing || this.#pending.length === 0) return;
    this.#isFlushing = true;
    const batch = this.#pending.slice(0, MAX_BATCH);
    try {
      await this.save(batch);
      this.#pending.splice(0, batch.length);
    } catch (error) {
      this.log.warn({ err: error, pending: this.#pending.length }, "could not save chat lines; will retry");
    } finally {
      this.#isFlushing = false;
    }
  }

  async close() {
    clearInterval(this.#timer);
    await this.flush();
  }
}

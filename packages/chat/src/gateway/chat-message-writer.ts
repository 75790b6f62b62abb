import type { Logger } from "@relaycast/logger";
import type { TIrcChatLine } from "../translate/irc-chat-line.ts";

export type ChatMessageWriterOptions = {
  save: (lines: TIrcChatLine[]) => Promise<unknown>;
  log: Logger;
  /** Lines held while the database is away; beyond this the oldest are dropped (counted and logged). */
  maxPending?: number;
  /** Lines per save. */
  batchSize?: number;
  flushIntervalMs?: number;
  /** After a failed save, the next attempt waits this long. */
  retryIntervalMs?: number;
  /** How long close() keeps retrying a database that is down before it gives the rest up. */
  closeTimeoutMs?: number;
};

const DEFAULTS = {
  maxPending: 20_000,
  batchSize: 500,
  flushIntervalMs: 200,
  retryIntervalMs: 1_000,
  closeTimeoutMs: 10_000,
};

/**
 * Persists chat lines in batches, off the delivery path: viewers get a line before it is written.
 * While the database is down, lines wait in a bounded buffer and saving is retried; `close()`
 * saves every line still pending before it resolves (or gives up after closeTimeoutMs, saying how
 * many lines were lost).
 */
export class ChatMessageWriter {
  readonly #options: Required<Omit<ChatMessageWriterOptions, "save" | "log">>;
  #pending: TIrcChatLine[] = [];
  #flushing: Promise<boolean> | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** Set while saves fail: the first failure and the recovery are logged, not every retry. */
  #isFailing = false;
  #isDropping = false;
  #retryAt = 0;
  #dropped = 0;
  #saveFailures = 0;

  constructor(
    private readonly save: ChatMessageWriterOptions["save"],
    private readonly log: Logger,
    options: Omit<ChatMessageWriterOptions, "save" | "log"> = {},
  ) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Lines not saved yet. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Lines given up since start: dropped from a full buffer, or unsaved at close. */
  get droppedCount(): number {
    return this.#dropped;
  }

  get saveFailureCount(): number {
    return this.#saveFailures;
  }

  start() {
    this.#timer ??= setInterval(() => {
      if (Date.now() >= this.#retryAt) void this.flush();
    }, this.#options.flushIntervalMs);
    this.#timer.unref();
  }

  add(line: TIrcChatLine) {
    this.#pending.push(line);
    const excess = this.#pending.length - this.#options.maxPending;
    if (excess <= 0) return;
    this.#pending.splice(0, excess);
    this.#dropped += excess;
    if (!this.#isDropping) {
      this.#isDropping = true;
      this.log.error(
        { maxPending: this.#options.maxPending },
        "chat history buffer is full; dropping the oldest unsaved lines until the database is back",
      );
    }
  }

  /** A line deleted by a moderator before it was saved is saved as deleted. */
  markDeleted(msgid: string) {
    const line = this.#pending.find((pending) => pending.msgid === msgid);
    if (line) line.deletedAt = new Date();
  }

  /** A moderator cleared a channel: its lines not saved yet are saved as deleted. */
  markChannelCleared(channel: string) {
    const now = new Date();
    for (const line of this.#pending) if (line.channel === channel) line.deletedAt ??= now;
  }

  /**
   * Saves what is pending, batch by batch, until nothing is left or a save fails (the lines stay
   * for the next try). A call while a flush runs joins that flush. Resolves to whether all was saved.
   */
  flush(): Promise<boolean> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** Stops the timer and saves every pending line, retrying for up to closeTimeoutMs. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    const deadline = Date.now() + this.#options.closeTimeoutMs;
    for (;;) {
      if ((await this.flush()) && this.#pending.length === 0) return;
      if (Date.now() >= deadline) break;
      await delay(Math.min(this.#options.retryIntervalMs, Math.max(0, deadline - Date.now())));
    }
    const lost = this.#pending.length;
    this.#dropped += lost;
    this.#pending = [];
    this.log.error({ lost }, "chat history database still unavailable at stop; unsaved lines are lost");
  }

  async #drain(): Promise<boolean> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.slice(0, this.#options.batchSize);
      try {
        await this.save(batch);
      } catch (error) {
        this.#saveFailures += 1;
        this.#retryAt = Date.now() + this.#options.retryIntervalMs;
        if (!this.#isFailing) {
          this.#isFailing = true;
          this.log.error(
            { err: error, pending: this.#pending.length, maxPending: this.#options.maxPending },
            "could not save chat lines; holding them until the database is back",
          );
        }
        return false;
      }
      this.#removeSaved(batch);
      if (this.#isFailing) {
        this.#isFailing = false;
        this.#isDropping = false;
        this.log.info({ pending: this.#pending.length }, "chat lines are being saved again");
      }
    }
    return true;
  }

  /** Removes a saved batch from the head; add() may have dropped some of its lines meanwhile. */
  #removeSaved(batch: TIrcChatLine[]) {
    const last = batch.at(-1);
    const index = last ? this.#pending.lastIndexOf(last, batch.length - 1) : -1;
    if (index >= 0) this.#pending.splice(0, index + 1);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

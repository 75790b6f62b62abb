/** At most `limit` events per key in any `windowMs` (a sliding window, not fixed buckets). */
export type TRateLimit = { limit: number; windowMs: number };

export type TRateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface IRateLimiter {
  consume(key: string): Promise<TRateDecision>;
  close(): void;
}

/** One process's limiter: the timestamps of each key's recent events, swept as they age out. */
export class MemoryRateLimiter implements IRateLimiter {
  readonly #events = new Map<string, number[]>();
  readonly #sweep: NodeJS.Timeout;

  constructor(
    private readonly rate: TRateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.#sweep = setInterval(() => this.#forgetIdleKeys(), rate.windowMs);
    this.#sweep.unref();
  }

  async consume(key: string): Promise<TRateDecision> {
    const now = this.now();
    const recent = (this.#events.get(key) ?? []).filter((at) => at > now - this.rate.windowMs);
    if (recent.length >= this.rate.limit) {
      this.#events.set(key, recent);
      return { allowed: false, retryAfterMs: recent[0]! + this.rate.windowMs - now };
    }
    recent.push(now);
    this.#events.set(key, recent);
    return { allowed: true };
  }

  close() {
    clearInterval(this.#sweep);
  }

  #forgetIdleKeys() {
    const horizon = this.now() - this.rate.windowMs;
    for (const [key, events] of this.#events) {
      if (events.at(-1)! <= horizon) this.#events.delete(key);
    }
  }
}

/**
 * At most `limit` hits per key in each fixed window, counted in this process's memory: cheap enough
 * to run before every API request. Keys whose window has passed are dropped as new windows open.
 */
export class FixedWindowLimiter {
  readonly #windows = new Map<string, { startedAt: number; count: number }>();
  #sweptAt = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit; when over the limit, how many seconds until the key's window ends. */
  consume(key: string): { isAllowed: true } | { isAllowed: false; retryAfterSeconds: number } {
    const now = this.now();
    this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit) return { isAllowed: true };
    return {
      isAllowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000)),
    };
  }

  #sweep(now: number) {
    if (now - this.#sweptAt < this.windowMs) return;
    this.#sweptAt = now;
    for (const [key, { startedAt }] of this.#windows) {
      if (now - startedAt >= this.windowMs) this.#windows.delete(key);
    }
  }
}

/** What a feed tells each of its subscribers (one open event stream each). */
export type FeedSubscriber<T> = {
  /** A value that differs from the last one (and the current value, at once, on subscribing). */
  onValue(value: T): void;
  /** A poll that brought nothing new, or failed: time for heartbeats and lifetimes. */
  onTick(now: number): void;
};

type Feed<T> = {
  subscribers: Set<FeedSubscriber<T>>;
  timer: NodeJS.Timeout;
  last: { json: string; value: T } | null;
  isPolling: boolean;
};

/**
 * One poll per key, however many connections listen to it: while a key has subscribers, a single
 * timer polls it every `intervalMs` and fans each new value out to all of them; the timer stops
 * with the key's last subscriber. Connections hold no timers of their own.
 */
export class EventFeeds<T> {
  readonly #feeds = new Map<string, Feed<T>>();

  constructor(private readonly options: { intervalMs: number; poll(key: string): Promise<T> }) {}

  /** Keys polled right now. */
  get activeKeys(): number {
    return this.#feeds.size;
  }

  /** Adds a subscriber to `key`; returns the function that removes it. */
  subscribe(key: string, subscriber: FeedSubscriber<T>): () => void {
    let feed = this.#feeds.get(key);
    if (!feed) {
      const created: Feed<T> = {
        subscribers: new Set(),
        timer: setInterval(() => void this.#tick(key, created), this.options.intervalMs),
        last: null,
        isPolling: false,
      };
      feed = created;
      this.#feeds.set(key, feed);
      void this.#tick(key, feed);
    } else if (feed.last) {
      subscriber.onValue(feed.last.value);
    }
    feed.subscribers.add(subscriber);
    const joined = feed;
    return () => {
      joined.subscribers.delete(subscriber);
      if (joined.subscribers.size > 0 || this.#feeds.get(key) !== joined) return;
      clearInterval(joined.timer);
      this.#feeds.delete(key);
    };
  }

  async #tick(key: string, feed: Feed<T>) {
    if (feed.isPolling) {
      // A slow poll (a database that hangs) delays values, never heartbeats or lifetimes.
      this.#notifyTick(feed);
      return;
    }
    feed.isPolling = true;
    let changed: { value: T } | null = null;
    try {
      const value = await this.options.poll(key);
      const json = JSON.stringify(value);
      if (json !== feed.last?.json) {
        feed.last = { json, value };
        changed = { value };
      }
    } catch {
      // The next tick tries again; subscribers keep what they have.
    } finally {
      feed.isPolling = false;
    }
    if (!changed) {
      this.#notifyTick(feed);
      return;
    }
    for (const subscriber of [...feed.subscribers]) subscriber.onValue(changed.value);
  }

  #notifyTick(feed: Feed<T>) {
    const now = Date.now();
    for (const subscriber of [...feed.subscribers]) subscriber.onTick(now);
  }
}

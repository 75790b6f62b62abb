/**
 * Slow mode: a chatter waits `slowSeconds` between two lines of a channel; its operators are
 * exempt. It is kept from the lines the reader hears, which every gateway hears alike, so every
 * gateway holds back the same lines, and a web sender is told how long to wait before sending.
 */
export class SlowMode {
  /** channel → username → when their last line passed. */
  readonly #lastLine = new Map<string, Map<string, number>>();

  /** Ms the user must still wait before a line of theirs passes; 0 when it may. */
  waitMs(channel: string, username: string, slowSeconds: number, now = Date.now()): number {
    if (slowSeconds <= 0) return 0;
    const last = this.#lastLine.get(channel)?.get(username);
    return last === undefined ? 0 : Math.max(0, last + slowSeconds * 1000 - now);
  }

  /** A line heard: true when it passes (and starts the user's wait), false when slow mode holds it back. */
  pass(channel: string, username: string, slowSeconds: number, now = Date.now()): boolean {
    if (slowSeconds <= 0) return true;
    if (this.waitMs(channel, username, slowSeconds, now) > 0) return false;
    let users = this.#lastLine.get(channel);
    if (!users) this.#lastLine.set(channel, (users = new Map()));
    users.set(username, now);
    return true;
  }

  /** Drops what no slow mode can still need. */
  prune(maxSlowSeconds: number, now = Date.now()) {
    for (const [channel, users] of this.#lastLine) {
      for (const [username, at] of users) if (now - at >= maxSlowSeconds * 1000) users.delete(username);
      if (users.size === 0) this.#lastLine.delete(channel);
    }
  }
}

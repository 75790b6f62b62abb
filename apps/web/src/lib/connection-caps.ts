/** Open long-lived connections, capped per client IP and in total. */
export class ConnectionCaps {
  readonly #perIp = new Map<string, number>();
  #total = 0;

  constructor(private readonly limits: { maxPerIp: number; maxTotal: number }) {}

  get total(): number {
    return this.#total;
  }

  /** Takes a slot for `ip`: a release function, or why there is none. */
  acquire(ip: string): { release: () => void } | { refusal: "per-ip" | "total" } {
    const held = this.#perIp.get(ip) ?? 0;
    if (held >= this.limits.maxPerIp) return { refusal: "per-ip" };
    if (this.#total >= this.limits.maxTotal) return { refusal: "total" };
    this.#perIp.set(ip, held + 1);
    this.#total += 1;
    let isReleased = false;
    return {
      release: () => {
        if (isReleased) return;
        isReleased = true;
        this.#total -= 1;
        const left = (this.#perIp.get(ip) ?? 1) - 1;
        if (left === 0) this.#perIp.delete(ip);
        else this.#perIp.set(ip, left);
      },
    };
  }
}

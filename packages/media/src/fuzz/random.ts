/** A seeded pseudo-random source (mulberry32): the same seed gives the same session, on any machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** A 32-bit value biased toward the edges parsers get wrong: 0, 1, powers of two and their neighbours. */
  edgy32(): number {
    if (this.chance(0.5)) return this.int(0, 0xffffffff);
    const power = 2 ** this.int(0, 32);
    return (power + this.int(-2, 1)) >>> 0;
  }

  bytes(length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    for (let index = 0; index < length; index += 1) buffer[index] = this.int(0, 255);
    return buffer;
  }
}

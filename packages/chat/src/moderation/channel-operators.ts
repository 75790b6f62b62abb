/**
 * A channel's chat powers and rules: who holds channel op (the owner and moderators), its slow
 * mode, and its blocked terms (the first one a text contains, or null).
 */
export type TChannelOperators = {
  owner: string;
  moderators: string[];
  slowSeconds: number;
  blockedTermIn: (text: string) => string | null;
};

const FRESH_FOR_MS = 30_000;

export function holdsChannelOp(operators: TChannelOperators, username: string): boolean {
  return operators.owner === username || operators.moderators.includes(username);
}

type TEntry = { loaded: Promise<TChannelOperators | null>; value: TChannelOperators | null; at: number };

/**
 * Each channel's operators and slow mode, read from the database and kept for a while: a change
 * made here (or heard from another gateway) drops the channel's entry at once.
 */
export class ChannelOperators {
  readonly #entries = new Map<string, TEntry>();

  constructor(private readonly load: (channel: string) => Promise<TChannelOperators | null>) {}

  get(channel: string): Promise<TChannelOperators | null> {
    const entry = this.#entries.get(channel);
    if (entry && Date.now() - entry.at < FRESH_FOR_MS) return entry.loaded;
    const fresh: TEntry = { loaded: Promise.resolve(null), value: entry?.value ?? null, at: Date.now() };
    fresh.loaded = this.load(channel).then(
      (value) => {
        fresh.value = value;
        return value;
      },
      (error: unknown) => {
        this.#entries.delete(channel);
        throw error;
      },
    );
    this.#entries.set(channel, fresh);
    return fresh.loaded;
  }

  /** What is known now, without waiting (a load starts if the entry is stale); null when nothing is. */
  peek(channel: string): TChannelOperators | null {
    this.get(channel).catch(() => {});
    return this.#entries.get(channel)?.value ?? null;
  }

  async isOperator(channel: string, username: string): Promise<boolean> {
    const operators = await this.get(channel);
    return operators !== null && holdsChannelOp(operators, username);
  }

  forget(channel: string) {
    this.#entries.delete(channel);
  }
}

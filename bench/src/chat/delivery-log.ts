import { parseBenchLine } from "./bench-line.ts";

export type TSenderKind = "web" | "irc";

type SentLine = {
  phase: number;
  kind: TSenderKind;
  channel: number;
  /** Web chatters connected in the channel when the line was sent: the socket.io deliveries it should make. */
  expected: number;
  delivered: number;
};

/** What one phase's lines did, counted as they happen. */
export type PhaseDeliveries = {
  sent: Record<TSenderKind, number>;
  /** Sum over the phase's lines of their `expected`. */
  expected: number;
  /** Deliveries of the phase's lines, at most `expected` per line. */
  delivered: number;
  /** Deliveries beyond a line's `expected` (the same line twice to a socket, or to one that joined late). */
  extra: number;
  /** Send → arrival, ms, per delivery, by who sent the line. */
  latenciesMs: Record<TSenderKind, number[]>;
  acks: { ok: number; refused: Record<string, number>; ackMs: number[] };
  /** Deliveries of any line that arrived while the phase was sending. */
  arrivalsWhileSending: number;
};

/**
 * Every line the benchmark sends, by sequence number, and every socket.io delivery of it. Latency is
 * arrival − the send time written in the text (performance.now() of this process).
 */
export class DeliveryLog {
  readonly phases: PhaseDeliveries[] = [];
  /** Deliveries whose text is not a benchmark line, or names a line never sent. */
  unknownArrivals = 0;
  readonly #lines: SentLine[] = [];
  #isSending = false;

  /** Starts counting a new phase; its lines are those sent until the next call. */
  startPhase(): PhaseDeliveries {
    const phase: PhaseDeliveries = {
      sent: { web: 0, irc: 0 },
      expected: 0,
      delivered: 0,
      extra: 0,
      latenciesMs: { web: [], irc: [] },
      acks: { ok: 0, refused: {}, ackMs: [] },
      arrivalsWhileSending: 0,
    };
    this.phases.push(phase);
    this.#isSending = true;
    return phase;
  }

  stopSending(): void {
    this.#isSending = false;
  }

  get nextSeq(): number {
    return this.#lines.length;
  }

  /** Records the line `nextSeq` as sent; returns its sequence number. */
  sent(kind: TSenderKind, channel: number, expected: number): number {
    const phase = this.phases.length - 1;
    this.#lines.push({ phase, kind, channel, expected, delivered: 0 });
    const counts = this.phases[phase]!;
    counts.sent[kind] += 1;
    counts.expected += expected;
    return this.#lines.length - 1;
  }

  /** A chat:message arrived at a socket at `arrivedAt` (performance.now()). */
  arrived(text: string, arrivedAt: number): void {
    if (this.#isSending) this.phases.at(-1)!.arrivalsWhileSending += 1;
    const parsed = parseBenchLine(text);
    const line = parsed && this.#lines[parsed.seq];
    if (!parsed || !line) {
      this.unknownArrivals += 1;
      return;
    }
    const phase = this.phases[line.phase]!;
    line.delivered += 1;
    if (line.delivered > line.expected) {
      phase.extra += 1;
      return;
    }
    phase.delivered += 1;
    phase.latenciesMs[line.kind].push(arrivedAt - parsed.sentAt);
  }

  /** The gateway's answer to a web send, `ackMs` after it. */
  acked(seq: number, result: { ok: true } | { ok: false; error: string }, ackMs: number): void {
    const acks = this.phases[this.#lines[seq]!.phase]!.acks;
    acks.ackMs.push(ackMs);
    if (result.ok) acks.ok += 1;
    else acks.refused[result.error] = (acks.refused[result.error] ?? 0) + 1;
  }

  /** Deliveries of the current phase's lines still to come. */
  get pending(): number {
    const phase = this.phases.at(-1);
    return phase ? phase.expected - phase.delivered : 0;
  }

  /** Of a phase's lines: how many reached nobody, and how many reached some but not all expected sockets. */
  lineOutcomes(phaseIndex: number): { reachedNobody: number; reachedSome: number } {
    let reachedNobody = 0;
    let reachedSome = 0;
    for (const line of this.#lines) {
      if (line.phase !== phaseIndex || line.expected === 0) continue;
      if (line.delivered === 0) reachedNobody += 1;
      else if (line.delivered < line.expected) reachedSome += 1;
    }
    return { reachedNobody, reachedSome };
  }
}

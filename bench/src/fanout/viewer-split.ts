import { perProtocol, type PerProtocol } from "./per-protocol.ts";
import type { TPlayProtocol } from "./viewers/viewer.ts";

/** `total` split as evenly as integers allow into `parts` (the first parts take the remainder). */
export function splitEvenly(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0),
  );
}

/** A viewer total split evenly across the protocols played (the others get none). */
export function viewersPerProtocol(total: number, played: readonly TPlayProtocol[]): PerProtocol<number> {
  const shares = splitEvenly(total, played.length);
  return perProtocol((protocol) => (played.includes(protocol) ? shares[played.indexOf(protocol)]! : 0));
}

/** Splits per-protocol counts across load generators. */
export function splitAcrossGenerators(
  counts: PerProtocol<number>,
  generators: number,
): PerProtocol<number>[] {
  const shares = perProtocol((protocol) => splitEvenly(counts[protocol], generators));
  return Array.from({ length: generators }, (_, generator) =>
    perProtocol((protocol) => shares[protocol][generator]!),
  );
}

/** Hands out each protocol's remaining sampled viewers to the generators, no more than each opens. */
export function splitSamples(
  quota: PerProtocol<number>,
  opening: PerProtocol<number>[],
): PerProtocol<number>[] {
  const left = { ...quota };
  return opening.map((counts, index) => {
    const generatorsLeft = opening.length - index;
    return perProtocol((protocol) => {
      const share = Math.min(counts[protocol], Math.ceil(left[protocol] / generatorsLeft));
      left[protocol] -= share;
      return share;
    });
  });
}

import { FUZZ_CHANNELS, FUZZ_KEYS } from "../fuzz-keys.ts";
import { FUZZ_RECONNECT_GRACE_MS } from "../fuzz-node.ts";
import type { FuzzContext, FuzzTarget } from "../fuzz-target.ts";
import { driveConnection, nextTick } from "../drive-connection.ts";
import { mutateBytes, splitWrites } from "../mutate-bytes.ts";
import type { Random } from "../random.ts";
import { mutateRtmpSession, type RtmpMutationOptions } from "../rtmp-mutations.ts";

/** The channels sessions may publish on: all but the resident one, which stays live all along. */
const PUBLISHABLE = FUZZ_KEYS.length - 1;

function publishBytes(
  random: Random,
  { corpus }: FuzzContext,
  index: number,
  focus: RtmpMutationOptions["focus"],
) {
  return mutateRtmpSession(corpus.publish, random, {
    focus,
    rename: { from: FUZZ_KEYS[0]!, to: FUZZ_KEYS[index]! },
  });
}

function playBytes(random: Random, { corpus }: FuzzContext, index: number) {
  return mutateRtmpSession(corpus.play, random, {
    focus: "any",
    rename: { from: FUZZ_CHANNELS[0]!, to: FUZZ_CHANNELS[index]! },
  });
}

/** A publisher with a damaged session, on any channel (the resident one refuses it: already live). */
async function publish(random: Random, context: FuzzContext): Promise<void> {
  const bytes = publishBytes(random, context, random.int(0, FUZZ_KEYS.length - 1), "any");
  await driveConnection(context.node, "rtmp", splitWrites(bytes, random), random);
}

async function play(random: Random, context: FuzzContext): Promise<void> {
  const bytes = playBytes(random, context, random.int(0, FUZZ_CHANNELS.length - 1));
  await driveConnection(context.node, "rtmp", splitWrites(bytes, random), random);
}

/**
 * The crash class of #8: a publisher's clock near 2^32 (or anywhere), it drops, and within the grace
 * period it comes back with its publish and first frames in one write, or waits for the answer.
 */
async function reconnect(random: Random, context: FuzzContext): Promise<void> {
  const index = random.int(0, PUBLISHABLE - 1);
  await driveConnection(context.node, "rtmp", [publishBytes(random, context, index, "timestamps")], random, {
    waitAfterFirst: 3,
  });
  const waitMs = random.int(0, FUZZ_RECONNECT_GRACE_MS / 3);
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  const again = publishBytes(random, context, index, random.chance(0.5) ? "timestamps" : "any");
  await driveConnection(
    context.node,
    "rtmp",
    random.chance(0.5) ? [again] : splitWrites(again, random),
    random,
  );
}

/** Publishers and players on one channel at once, closing at any point (during admission included). */
async function race(random: Random, context: FuzzContext): Promise<void> {
  const index = random.int(0, PUBLISHABLE - 1);
  const sessions: Promise<unknown>[] = [];
  for (let count = random.int(2, 4); count > 0; count -= 1) {
    const bytes = random.chance(0.6)
      ? publishBytes(random, context, index, "timestamps")
      : playBytes(random, context, index);
    sessions.push(driveConnection(context.node, "rtmp", splitWrites(bytes, random), random));
    if (random.chance(0.5)) await nextTick();
  }
  await Promise.all(sessions);
}

/** Bytes that are not RTMP, or stop being RTMP after the handshake. */
async function garbage(random: Random, context: FuzzContext): Promise<void> {
  const start = random.chance(0.5) ? context.corpus.publish.handshake : Buffer.alloc(0);
  const bytes = Buffer.concat([start, random.bytes(random.int(0, 4_096))]);
  await driveConnection(context.node, "rtmp", splitWrites(mutateBytes(bytes, random), random), random);
}

export const rtmpTarget: FuzzTarget = (random, context) => {
  const roll = random.next();
  if (roll < 0.35) return publish(random, context);
  if (roll < 0.55) return play(random, context);
  if (roll < 0.75) return reconnect(random, context);
  if (roll < 0.9) return race(random, context);
  return garbage(random, context);
};

/** The AMF target: sessions whose commands (connect, publish, play) and metadata carry damaged AMF0. */
export const amfTarget: FuzzTarget = async (random, context) => {
  const isPlay = random.chance(0.3);
  const index = random.int(0, PUBLISHABLE - 1);
  const bytes = isPlay
    ? mutateRtmpSession(context.corpus.play, random, {
        focus: "amf",
        rename: { from: FUZZ_CHANNELS[0]!, to: FUZZ_CHANNELS[index]! },
      })
    : publishBytes(random, context, index, "amf");
  await driveConnection(context.node, "rtmp", splitWrites(bytes, random), random);
};

/** Keeps a clean publisher live on the last channel, for the HTTP targets' viewers. */
export async function startResidentPublisher(context: FuzzContext, random: Random): Promise<void> {
  const bytes = mutateRtmpSession(context.corpus.publish, random, {
    focus: "none",
    rename: { from: FUZZ_KEYS[0]!, to: FUZZ_KEYS[PUBLISHABLE]! },
  });
  await driveConnection(context.node, "rtmp", [bytes], random, { waitAfterFirst: 5, keepOpen: true });
}

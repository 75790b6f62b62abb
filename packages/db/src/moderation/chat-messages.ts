import type { Db } from "../client.ts";
import { recordModerationAction, type TModerationActor, type TModerationTarget } from "./moderation-log.ts";

/**
 * Deletes one chat line from the stored history, with its audit row (which keeps the text). The
 * line may not be stored yet (the gateway writes in batches): the action is recorded all the same.
 */
export async function deleteChatMessage(
  db: Db,
  {
    channelId,
    msgid,
    text,
    actor,
    target,
  }: {
    channelId: string;
    msgid: string;
    text: string;
    actor: TModerationActor;
    target: TModerationTarget | null;
  },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.chatMessage.updateMany({
      where: { msgid, channelId, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    await recordModerationAction(tx, {
      action: "message_delete",
      actor,
      target,
      channelId,
      details: { msgid, text },
    });
  });
}

/** Clears a channel's stored chat up to now (a new viewer gets none of it); returns how many lines went. */
export async function clearChatMessages(
  db: Db,
  { channelId, actor }: { channelId: string; actor: TModerationActor },
): Promise<number> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.chatMessage.updateMany({
      where: { channelId, deletedAt: null, sentAt: { lte: now } },
      data: { deletedAt: now },
    });
    await recordModerationAction(tx, { action: "chat_clear", actor, channelId, details: { lines: count } });
    return count;
  });
}

/** Sets a channel's slow mode (0 turns it off). */
export async function setChatSlowMode(
  db: Db,
  { channelId, actor, seconds }: { channelId: string; actor: TModerationActor; seconds: number },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.channel.update({ where: { id: channelId }, data: { chatSlowSeconds: seconds } });
    await recordModerationAction(tx, { action: "slow_mode", actor, channelId, details: { seconds } });
  });
}

/** Sets a channel's blocked terms (an empty list blocks nothing). */
export async function setChatBlockedTerms(
  db: Db,
  { channelId, actor, terms }: { channelId: string; actor: TModerationActor; terms: string[] },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.channel.update({ where: { id: channelId }, data: { chatBlockedTerms: terms } });
    await recordModerationAction(tx, { action: "blocked_terms", actor, channelId, details: { terms } });
  });
}

/**
 * Records a KICK done on IRC by a channel op (IRC did it; nothing else changes). Every gateway
 * hears it: true for the one that recorded it.
 */
export async function recordChatKick(
  db: Db,
  entry: {
    channelId: string;
    actor: TModerationActor;
    target: TModerationTarget;
    reason: string | null;
    sourceEvent: string;
  },
): Promise<boolean> {
  return db.$transaction((tx) => recordModerationAction(tx, { action: "kick", ...entry }));
}

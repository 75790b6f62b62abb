import { describe, expect, it } from "vitest";
import { openBroadcast } from "../broadcasts/open-broadcast.ts";
import { createIrcToken } from "../irc-tokens/create-irc-token.ts";
import { addChannelModerator } from "../moderation/moderators.ts";
import { listModerationActions } from "../moderation/moderation-log.ts";
import { openRecordingPart } from "../recordings/open-recording-part.ts";
import { markRecordingFilesRemoved, recordingsWithFilesToRemove } from "../recordings/removed-files.ts";
import { createStreamKey } from "../stream-keys/create-stream-key.ts";
import { findChannelByStreamKey } from "../stream-keys/find-channel-by-stream-key.ts";
import { seedChannel } from "../testing/seed-channel.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { deleteAccount } from "./delete-account.ts";

const testDb = useTestDb();

describe("deleteAccount", () => {
  it("takes the channel, keys, tokens and videos; the archive still removes the files; the audit log keeps the name", async () => {
    const db = testDb.db();
    const { user, channel } = await seedChannel(db);
    const other = await seedChannel(db);
    const { streamKey } = await createStreamKey(db, { channelId: channel.id });
    await createIrcToken(db, { userId: user.id });
    const broadcast = await openBroadcast(db, { channelId: channel.id, originNode: "origin-a" });
    const { recordingId } = await openRecordingPart(db, broadcast.id);
    // The owner appointed a moderator elsewhere: the act stays in that channel's log, by name.
    await addChannelModerator(db, {
      channelId: other.channel.id,
      actor: { userId: other.user.id, name: other.user.username },
      target: { userId: user.id, name: user.username },
    });

    expect(await deleteAccount(db, { userId: user.id })).toEqual({ username: user.username });
    expect(await deleteAccount(db, { userId: user.id })).toBeNull();
    expect(await db.channel.findUnique({ where: { id: channel.id } })).toBeNull();
    expect(await findChannelByStreamKey(db, { streamKey })).toBeNull();
    expect(await db.ircToken.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.recording.findUnique({ where: { id: recordingId } })).toBeNull();

    expect(await recordingsWithFilesToRemove(db)).toContain(recordingId);
    await markRecordingFilesRemoved(db, recordingId);
    expect(await recordingsWithFilesToRemove(db)).not.toContain(recordingId);

    const { actions } = await listModerationActions(db, { channelId: other.channel.id, take: 5 });
    expect(actions).toEqual([
      expect.objectContaining({ action: "moderator_add", targetName: user.username }),
    ]);
  });
});

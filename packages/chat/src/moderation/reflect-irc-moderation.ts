import { findChatUser, getChannelByName, recordChatKick, type Db } from "@relaycast/db";
import type { Logger } from "@relaycast/logger";
import type { ChannelReader } from "../irc/channel-reader.ts";
import { usernameOfNick } from "../irc/irc-names.ts";
import type { IChatRoom, ModerationService } from "./moderation-service.ts";

/**
 * What channel ops do on IRC becomes the platform's: a ban or unban they set goes through the
 * moderation service as theirs (so the web refuses the user too, and it is stored; the gateway that
 * records it first carries it out, the others find it done), and a KICK is logged once and shown.
 */
export function reflectIrcModeration({
  reader,
  moderation,
  db,
  room,
  log,
}: {
  reader: ChannelReader;
  moderation: ModerationService;
  db: Db;
  room: IChatRoom;
  log: Logger;
}) {
  reader.on("moderation", ({ channel, actor, command }) => {
    void (async () => {
      const user = await findChatUser(db, { username: actor });
      if (!user) return;
      const outcome = await moderation.act({ userId: user.id, username: user.username }, channel, command);
      if (!outcome.ok && outcome.code !== "CONFLICT") {
        log.info(
          { channel, actor, action: command.type, error: outcome.error },
          "an IRC ban was not reflected",
        );
      }
    })().catch((error: unknown) => log.warn({ err: error, channel }, "could not reflect an IRC ban"));
  });

  reader.on("kick", (kick) => {
    void (async () => {
      const kickedUsername = usernameOfNick(kick.kicked);
      const [actor, target, channel] = await Promise.all([
        findChatUser(db, { username: kick.actor }),
        kickedUsername ? findChatUser(db, { username: kickedUsername }) : null,
        getChannelByName(db, { name: kick.channel }),
      ]);
      if (!actor || !target || !channel) return;
      const isRecorded = await recordChatKick(db, {
        channelId: channel.id,
        actor: { userId: actor.id, name: actor.username },
        target: { userId: target.id, name: target.username },
        reason: kick.reason || null,
        sourceEvent: kick.eventKey,
      });
      if (isRecorded) {
        const reason = kick.reason && kick.reason !== kick.actor ? `: ${kick.reason}` : ".";
        room.notice(
          kick.channel,
          `${target.username} was removed from the chat by ${actor.username}${reason}`,
        );
      }
    })().catch((error: unknown) =>
      log.warn({ err: error, channel: kick.channel }, "could not log an IRC kick"),
    );
  });
}

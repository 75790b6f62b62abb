import {
  addChannelModerator,
  banFromChat,
  banFromEveryChat,
  liftBanFromEveryChat,
  clearChatMessages,
  deleteChatMessage,
  findChatUser,
  getChannelRole,
  liftChatRestriction,
  listChannelModerators,
  outranks,
  removeChannelModerator,
  setChatBlockedTerms,
  setChatSlowMode,
  timeOutFromChat,
  type Db,
  type TChannelRole,
} from "@relaycast/db";
import type { Logger } from "@relaycast/logger";
import { WEB_NICK_SUFFIX } from "../irc/irc-names.ts";
import type { TModerationCommand } from "../protocol.ts";
import { describeSeconds } from "../text/describe-seconds.ts";
import { chatRestrictionMasks } from "../translate/ban-masks.ts";
import type { IrcOperator } from "./irc-operator.ts";

/** A site-wide chat ban or its lifting, by an admin. */
export type TSiteBanCommand =
  { type: "ban"; username: string; reason?: string } | { type: "unban"; username: string };

/** Who acts: a platform user, from the web (chat, dashboard, API) or as a channel op on IRC. */
export type TModerator = { userId: string; username: string };

/** Why an act was refused, as the web's AppError codes name it. */
export type TModerationRefusal = "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "UNAVAILABLE";

export type TModerationOutcome =
  { ok: true; text: string } | { ok: false; code: TModerationRefusal; error: string };

/** What web viewers of a channel see of an act, on every gateway. */
export interface IChatRoom {
  deleted(channel: string, messageId: string): void;
  cleared(channel: string): void;
  notice(channel: string, text: string): void;
  /** The channel's operators, slow mode or blocked terms changed. */
  rolesChanged(channel: string): void;
  /** A line a blocked term held back: shown to the channel's moderators only. */
  held(channel: string, nick: string, text: string): void;
}

export type TModerationServiceOptions = {
  db: Db;
  operator: IrcOperator;
  room: IChatRoom;
  /** The author and text of a line this gateway still has (else the stored history is asked). */
  findLine: (channel: string, messageId: string) => Promise<{ username: string | null; text: string } | null>;
  /** An act was carried out (counted by the metrics). */
  acted?: (action: string) => void;
  log: Logger;
};

type TContext = { channel: string; channelId: string; actor: TModerator; role: TChannelRole };
type TTarget = { id: string; username: string };

const refuse = (code: TModerationRefusal, error: string): TModerationOutcome => ({ ok: false, code, error });

/**
 * The one path of every moderation act, whether it comes from the web chat's menus and slash
 * commands, the dashboards and the API, or is reflected from a channel op on IRC: it checks the
 * actor's role, writes the change with its audit row, sets it on IRC through the operator
 * connection, and shows it to web viewers.
 */
export class ModerationService {
  constructor(private readonly options: TModerationServiceOptions) {}

  async act(actor: TModerator, channel: string, command: TModerationCommand): Promise<TModerationOutcome> {
    const { db, operator } = this.options;
    const standing = await getChannelRole(db, { channelName: channel, userId: actor.userId });
    if (!standing) return refuse("NOT_FOUND", `There is no channel named ${channel}.`);
    if (standing.role === "viewer") return refuse("FORBIDDEN", "Only the channel's moderators can do that.");
    if (command.type !== "mods" && !operator.isConnected) {
      return refuse("UNAVAILABLE", "Chat is reconnecting to IRC; try again in a moment.");
    }
    const context: TContext = { channel, channelId: standing.channelId, actor, role: standing.role };
    const outcome = await this.#run(context, command);
    if (outcome.ok && command.type !== "mods") this.options.acted?.(command.type);
    if (outcome.ok) {
      this.options.log.info(
        {
          channel,
          actor: actor.username,
          action: command.type,
          target: "username" in command ? command.username : undefined,
        },
        "moderation",
      );
    }
    return outcome;
  }

  /**
   * An admin bans a user from every chat of the site, or lifts it: stored (the web refuses them in
   * every channel) and shunned network-wide on IRC.
   */
  async actSiteWide(actor: TModerator, command: TSiteBanCommand): Promise<TModerationOutcome> {
    const { db, operator } = this.options;
    const admin = await findChatUser(db, { username: actor.username });
    if (admin?.id !== actor.userId || admin.role !== "admin") {
      return refuse("FORBIDDEN", "Only site admins ban from every chat.");
    }
    if (!operator.isConnected)
      return refuse("UNAVAILABLE", "Chat is reconnecting to IRC; try again in a moment.");
    const target = await findChatUser(db, { username: command.username });
    if (!target) return refuse("NOT_FOUND", `There is no user named ${command.username}.`);
    if (target.id === actor.userId) return refuse("CONFLICT", "You cannot ban yourself.");
    const change = {
      actor: { userId: actor.userId, name: actor.username },
      target: { userId: target.id, name: target.username },
    };
    const masks = chatRestrictionMasks(target, "ban");
    if (command.type === "ban") {
      if (!(await banFromEveryChat(db, { ...change, reason: command.reason ?? null }))) {
        return refuse("CONFLICT", `${target.username} is banned from every chat already.`);
      }
      operator.shun(
        masks,
        `Banned from chat by ${actor.username}${command.reason ? `: ${command.reason}` : ""}`,
      );
      this.options.log.info({ actor: actor.username, target: target.username }, "site-wide chat ban");
      this.options.acted?.("site-ban");
      return { ok: true, text: `${target.username} is banned from every chat.` };
    }
    if (!(await liftBanFromEveryChat(db, change))) {
      return refuse("CONFLICT", `${target.username} is not banned from every chat.`);
    }
    operator.shun(masks, null);
    this.options.log.info({ actor: actor.username, target: target.username }, "site-wide chat ban lifted");
    this.options.acted?.("site-unban");
    return { ok: true, text: `${target.username} may chat again.` };
  }

  async #run(context: TContext, command: TModerationCommand): Promise<TModerationOutcome> {
    switch (command.type) {
      case "delete":
        return this.#delete(context, command.messageId);
      case "timeout":
      case "untimeout":
      case "ban":
      case "unban":
      case "mod":
      case "unmod":
        return this.#onUser(context, command);
      case "slow":
        return this.#slow(context, command.seconds);
      case "slowoff":
        return this.#slow(context, 0);
      case "clear":
        return this.#clear(context);
      case "mods":
        return this.#listModerators(context);
      case "terms":
        return this.#blockTerms(context, command.terms);
    }
  }

  async #delete(context: TContext, messageId: string): Promise<TModerationOutcome> {
    const { db, room, operator } = this.options;
    const line = await this.options.findLine(context.channel, messageId);
    if (!line) return refuse("NOT_FOUND", "That message is gone already.");
    const author = line.username ? await findChatUser(db, { username: line.username }) : null;
    if (author) {
      const refusal = await this.#mayActOn(context, author, "delete messages of");
      if (refusal) return refusal;
    }
    await deleteChatMessage(db, {
      channelId: context.channelId,
      msgid: messageId,
      text: line.text,
      actor: actorOf(context),
      target: author ? { userId: author.id, name: author.username } : null,
    });
    room.deleted(context.channel, messageId);
    const text = `${context.actor.username} deleted a message from ${line.username ?? "a guest"}.`;
    operator.notice(context.channel, text);
    room.notice(context.channel, text);
    return { ok: true, text };
  }

  async #onUser(
    context: TContext,
    command: Extract<TModerationCommand, { username: string }>,
  ): Promise<TModerationOutcome> {
    const { db } = this.options;
    const target = await findChatUser(db, { username: command.username });
    if (!target) return refuse("NOT_FOUND", `There is no user named ${command.username}.`);
    if (command.type === "mod" || command.type === "unmod") {
      if (!outranks(context.role, "moderator")) {
        return refuse("FORBIDDEN", "Only the channel's owner appoints and removes moderators.");
      }
      return this.#setModerator(context, target, command.type === "mod");
    }
    const refusal = await this.#mayActOn(context, target, command.type);
    if (refusal) return refusal;
    const change = {
      channelId: context.channelId,
      actor: actorOf(context),
      target: { userId: target.id, name: target.username },
    };
    switch (command.type) {
      case "timeout": {
        const expiresAt = new Date(Date.now() + command.seconds * 1000);
        const result = await timeOutFromChat(db, { ...change, expiresAt, reason: command.reason });
        if (result === "banned") return refuse("CONFLICT", `${target.username} is banned; unban them first.`);
        this.options.operator.setBans(context.channel, "+", chatRestrictionMasks(target, "timeout"));
        return this.#announce(
          context,
          `${target.username} was timed out for ${describeSeconds(command.seconds)} by ${context.actor.username}${reasonText(command.reason)}`,
        );
      }
      case "untimeout": {
        if (!(await liftChatRestriction(db, { ...change, kind: "timeout" }))) {
          return refuse("CONFLICT", `${target.username} is not timed out.`);
        }
        this.options.operator.setBans(context.channel, "-", chatRestrictionMasks(target, "timeout"));
        return this.#announce(
          context,
          `${target.username}'s timeout was lifted by ${context.actor.username}.`,
        );
      }
      case "ban": {
        if (!(await banFromChat(db, { ...change, reason: command.reason }))) {
          return refuse("CONFLICT", `${target.username} is banned already.`);
        }
        const { operator } = this.options;
        operator.setBans(context.channel, "-", chatRestrictionMasks(target, "timeout"));
        operator.setBans(context.channel, "+", chatRestrictionMasks(target, "ban"));
        const kickReason = `Banned by ${context.actor.username}${command.reason ? `: ${command.reason}` : ""}`;
        for (const nick of nicksOf(target)) operator.kick(context.channel, nick, kickReason);
        return this.#announce(
          context,
          `${target.username} was banned by ${context.actor.username}${reasonText(command.reason)}`,
        );
      }
      case "unban": {
        if (!(await liftChatRestriction(db, { ...change, kind: "ban" }))) {
          return refuse("CONFLICT", `${target.username} is not banned.`);
        }
        this.options.operator.setBans(context.channel, "-", chatRestrictionMasks(target, "ban"));
        return this.#announce(context, `${target.username} was unbanned by ${context.actor.username}.`);
      }
    }
  }

  /** Appoints (`isModerator`) or removes a moderator: stored, channel op on IRC given or taken. */
  async #setModerator(context: TContext, target: TTarget, isModerator: boolean): Promise<TModerationOutcome> {
    const change = {
      channelId: context.channelId,
      actor: actorOf(context),
      target: { userId: target.id, name: target.username },
    };
    const isChanged = isModerator
      ? await addChannelModerator(this.options.db, change)
      : await removeChannelModerator(this.options.db, change);
    if (!isChanged) {
      return refuse(
        "CONFLICT",
        `${target.username} is ${isModerator ? "a moderator already" : "not a moderator"}.`,
      );
    }
    for (const nick of nicksOf(target))
      this.options.operator.setChannelOp(context.channel, nick, isModerator);
    this.options.room.rolesChanged(context.channel);
    return this.#announce(
      context,
      `${target.username} is ${isModerator ? "now" : "no longer"} a moderator of this chat.`,
    );
  }

  async #slow(context: TContext, seconds: number): Promise<TModerationOutcome> {
    await setChatSlowMode(this.options.db, {
      channelId: context.channelId,
      actor: actorOf(context),
      seconds,
    });
    this.options.room.rolesChanged(context.channel);
    return this.#announce(
      context,
      seconds > 0
        ? `Slow mode is on: one message every ${describeSeconds(seconds)} (set by ${context.actor.username}).`
        : `Slow mode is off (${context.actor.username}).`,
    );
  }

  async #clear(context: TContext): Promise<TModerationOutcome> {
    await clearChatMessages(this.options.db, { channelId: context.channelId, actor: actorOf(context) });
    this.options.room.cleared(context.channel);
    return this.#announce(context, `The chat was cleared by ${context.actor.username}.`);
  }

  /** The owner's blocked terms: not announced (that would show them), in force on every gateway at once. */
  async #blockTerms(context: TContext, terms: string[]): Promise<TModerationOutcome> {
    if (!outranks(context.role, "moderator")) {
      return refuse("FORBIDDEN", "Only the channel's owner sets its blocked terms.");
    }
    const unique = [...new Set(terms.map((term) => term.toLowerCase()))];
    await setChatBlockedTerms(this.options.db, {
      channelId: context.channelId,
      actor: actorOf(context),
      terms: unique,
    });
    this.options.room.rolesChanged(context.channel);
    return {
      ok: true,
      text: unique.length ? `${unique.length} blocked terms are in force.` : "No term is blocked.",
    };
  }

  async #listModerators(context: TContext): Promise<TModerationOutcome> {
    const moderators = await listChannelModerators(this.options.db, { channelId: context.channelId });
    return {
      ok: true,
      text: moderators.length
        ? `Moderators of this chat: ${moderators.map(({ username }) => username).join(", ")}.`
        : "This chat has no moderators.",
    };
  }

  /** An act on a user needs a role above theirs: a moderator cannot time out another, nor the owner. */
  async #mayActOn(context: TContext, target: TTarget, verb: string): Promise<TModerationOutcome | null> {
    if (target.id === context.actor.userId) return refuse("CONFLICT", `You cannot ${verb} yourself.`);
    const standing = await getChannelRole(this.options.db, {
      channelName: context.channel,
      userId: target.id,
    });
    const role = standing?.role ?? "viewer";
    if (outranks(context.role, role)) return null;
    return refuse(
      "FORBIDDEN",
      `You cannot ${verb} ${role === "owner" ? "the channel's owner" : `a ${role}`}.`,
    );
  }

  /** Tells the channel, on IRC and on the web. */
  #announce(context: TContext, text: string): TModerationOutcome {
    this.options.operator.notice(context.channel, text);
    this.options.room.notice(context.channel, text);
    return { ok: true, text };
  }
}

const actorOf = (context: TContext) => ({ userId: context.actor.userId, name: context.actor.username });

function reasonText(reason: string | undefined): string {
  return reason ? `: ${reason}` : ".";
}

/** The nicks an account may hold on IRC (its IRC client's and its web chat's). */
function nicksOf(user: TTarget): string[] {
  return [user.username, `${user.username}${WEB_NICK_SUFFIX}`];
}

import {
  CHAT_MESSAGE_MAX_CHARS,
  ZModerationCommand,
  type TModerationCommand,
  type TModerationCommandInput,
} from "../protocol.ts";
import { cleanChatText } from "../text/clean-chat-text.ts";

export type TChatInput =
  | { ok: true; kind: "line"; text: string; isAction: boolean }
  | { ok: true; kind: "command"; command: TModerationCommand }
  | { ok: false; error: string };

/** The slash commands, their usage, and how their words become a moderation command. */
const COMMANDS: Record<string, { usage: string; read: (words: string[]) => TModerationCommandInput | null }> =
  {
    timeout: {
      usage: "/timeout <user> [seconds] [reason]",
      read: ([username, seconds, ...reason]) => {
        if (!username) return null;
        const hasSeconds = seconds !== undefined && /^\d+$/.test(seconds);
        const why = (hasSeconds ? reason : [seconds ?? "", ...reason]).join(" ").trim();
        return {
          type: "timeout",
          username,
          seconds: hasSeconds ? Number(seconds) : undefined,
          reason: why || undefined,
        };
      },
    },
    untimeout: {
      usage: "/untimeout <user>",
      read: ([username]) => (username ? { type: "untimeout", username } : null),
    },
    ban: {
      usage: "/ban <user> [reason]",
      read: ([username, ...reason]) =>
        username ? { type: "ban", username, reason: reason.join(" ") || undefined } : null,
    },
    unban: { usage: "/unban <user>", read: ([username]) => (username ? { type: "unban", username } : null) },
    slow: {
      usage: "/slow <seconds>",
      read: ([seconds]) =>
        seconds && /^\d+$/.test(seconds) ? { type: "slow", seconds: Number(seconds) } : null,
    },
    slowoff: { usage: "/slowoff", read: () => ({ type: "slowoff" }) },
    clear: { usage: "/clear", read: () => ({ type: "clear" }) },
    mod: { usage: "/mod <user>", read: ([username]) => (username ? { type: "mod", username } : null) },
    unmod: { usage: "/unmod <user>", read: ([username]) => (username ? { type: "unmod", username } : null) },
    mods: { usage: "/mods", read: () => ({ type: "mods" }) },
  };

/**
 * What a viewer typed: a line for IRC (`/me …` is an action; formatting is cleaned; the length is
 * checked), or a moderation slash command.
 */
export function readChatInput(typed: string): TChatInput {
  const slash = /^\/([a-z]+)(?:\s+(.*))?$/is.exec(typed.trim());
  if (slash && slash[1]!.toLowerCase() !== "me") return readCommand(slash[1]!.toLowerCase(), slash[2] ?? "");
  const isAction = /^\/me\s/i.test(typed);
  const text = cleanChatText(isAction ? typed.slice(4) : typed);
  if (!text) return { ok: false, error: "Type a message first." };
  if ([...text].length > CHAT_MESSAGE_MAX_CHARS) {
    return { ok: false, error: `Messages are at most ${CHAT_MESSAGE_MAX_CHARS} characters.` };
  }
  return { ok: true, kind: "line", text, isAction };
}

function readCommand(name: string, rest: string): TChatInput {
  const command = COMMANDS[name];
  if (!command)
    return {
      ok: false,
      error: `Unknown command /${name}. Commands: ${Object.keys(COMMANDS)
        .map((key) => `/${key}`)
        .join(" ")}`,
    };
  const words = cleanChatText(rest).split(/\s+/).filter(Boolean);
  const parsed = ZModerationCommand.safeParse(command.read(words));
  if (!parsed.success) return { ok: false, error: `Usage: ${command.usage}` };
  return { ok: true, kind: "command", command: parsed.data };
}

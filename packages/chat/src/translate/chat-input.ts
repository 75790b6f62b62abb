import { CHAT_MESSAGE_MAX_CHARS } from "../protocol.ts";
import { cleanChatText } from "../text/clean-chat-text.ts";

export type TChatInput = { ok: true; text: string; isAction: boolean } | { ok: false; error: string };

/** What a viewer typed, as the line IRC gets: `/me …` is an action; formatting is cleaned; the length is checked. */
export function readChatInput(typed: string): TChatInput {
  const isAction = /^\/me\s/i.test(typed);
  const text = cleanChatText(isAction ? typed.slice(4) : typed);
  if (!text) return { ok: false, error: "Type a message first." };
  if ([...text].length > CHAT_MESSAGE_MAX_CHARS) {
    return { ok: false, error: `Messages are at most ${CHAT_MESSAGE_MAX_CHARS} characters.` };
  }
  return { ok: true, text, isAction };
}

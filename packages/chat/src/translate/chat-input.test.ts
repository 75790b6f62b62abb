import { describe, expect, it } from "vitest";
import { CHAT_MESSAGE_MAX_CHARS } from "../protocol.ts";
import { readChatInput } from "./chat-input.ts";

describe("readChatInput", () => {
  it("reads a plain line and a /me action", () => {
    expect(readChatInput("hello")).toEqual({ ok: true, text: "hello", isAction: false });
    expect(readChatInput("/me waves")).toEqual({ ok: true, text: "waves", isAction: true });
    expect(readChatInput("/ME waves")).toEqual({ ok: true, text: "waves", isAction: true });
  });

  it("refuses a line that cleans to nothing", () => {
    expect(readChatInput("  \x02\x02 ")).toEqual({ ok: false, error: "Type a message first." });
    expect(readChatInput("/me ")).toEqual({ ok: false, error: "Type a message first." });
  });

  it("counts characters, not bytes or UTF-16 units", () => {
    expect(readChatInput("é".repeat(CHAT_MESSAGE_MAX_CHARS))).toMatchObject({ ok: true });
    expect(readChatInput("😀".repeat(CHAT_MESSAGE_MAX_CHARS))).toMatchObject({ ok: true });
    expect(readChatInput("x".repeat(CHAT_MESSAGE_MAX_CHARS + 1))).toEqual({
      ok: false,
      error: `Messages are at most ${CHAT_MESSAGE_MAX_CHARS} characters.`,
    });
  });
});

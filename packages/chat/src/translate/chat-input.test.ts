import { describe, expect, it } from "vitest";
import { CHAT_MESSAGE_MAX_CHARS } from "../protocol.ts";
import { readChatInput } from "./chat-input.ts";

describe("readChatInput", () => {
  it("reads a plain line and a /me action", () => {
    expect(readChatInput("hello")).toEqual({ ok: true, kind: "line", text: "hello", isAction: false });
    expect(readChatInput("/me waves")).toEqual({ ok: true, kind: "line", text: "waves", isAction: true });
    expect(readChatInput("/ME waves")).toEqual({ ok: true, kind: "line", text: "waves", isAction: true });
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

  it("reads /timeout with its default, its seconds and its reason", () => {
    expect(readChatInput("/timeout @Bob")).toEqual({
      ok: true,
      kind: "command",
      command: { type: "timeout", username: "bob", seconds: 600 },
    });
    expect(readChatInput("/timeout bob 30 stop spamming")).toMatchObject({
      command: { type: "timeout", username: "bob", seconds: 30, reason: "stop spamming" },
    });
    expect(readChatInput("/timeout bob calm down")).toMatchObject({
      command: { type: "timeout", username: "bob", seconds: 600, reason: "calm down" },
    });
  });

  it("reads every other command", () => {
    const command = (typed: string) => {
      const input = readChatInput(typed);
      return input.ok && input.kind === "command" ? input.command : input;
    };
    expect(command("/ban bob being rude")).toEqual({ type: "ban", username: "bob", reason: "being rude" });
    expect(command("/unban bob")).toEqual({ type: "unban", username: "bob" });
    expect(command("/untimeout bob")).toEqual({ type: "untimeout", username: "bob" });
    expect(command("/slow 30")).toEqual({ type: "slow", seconds: 30 });
    expect(command("/slowoff")).toEqual({ type: "slowoff" });
    expect(command("/clear")).toEqual({ type: "clear" });
    expect(command("/mod carol")).toEqual({ type: "mod", username: "carol" });
    expect(command("/unmod carol")).toEqual({ type: "unmod", username: "carol" });
    expect(command("/mods")).toEqual({ type: "mods" });
  });

  it("answers a wrong command with its usage, an unknown one with the list", () => {
    expect(readChatInput("/ban")).toEqual({ ok: false, error: "Usage: /ban <user> [reason]" });
    expect(readChatInput("/slow fast")).toEqual({ ok: false, error: "Usage: /slow <seconds>" });
    expect(readChatInput("/timeout b!")).toEqual({
      ok: false,
      error: "Usage: /timeout <user> [seconds] [reason]",
    });
    expect(readChatInput("/dance")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Unknown command \/dance\./),
    });
  });
});

import type { TIrcMessageEvent } from "../irc/irc-framework.ts";
import { describe, expect, it } from "vitest";
import { toIrcChatLine } from "./irc-chat-line.ts";

function event(overrides: Partial<TIrcMessageEvent>): TIrcMessageEvent {
  return {
    nick: "alice",
    ident: "u_1",
    hostname: "198.51.100.7",
    target: "#bob",
    message: "hi",
    tags: { msgid: "001~1~7", time: "2026-11-24T10:00:00.123Z" },
    ...overrides,
  };
}

describe("toIrcChatLine", () => {
  it("carries msgid, server-time, the account and the reply target", () => {
    const line = toIrcChatLine(
      event({ tags: { msgid: "001~1~8", time: "2026-11-24T10:00:00.123Z", "+draft/reply": "001~1~7" } }),
      false,
    );
    expect(line).toEqual({
      msgid: "001~1~8",
      channel: "bob",
      nick: "alice",
      username: "alice",
      text: "hi",
      isAction: false,
      sentAt: new Date("2026-11-24T10:00:00.123Z"),
      replyTo: "001~1~7",
    });
  });

  it("cleans formatting, marks actions, and has no account for guests", () => {
    const line = toIrcChatLine(event({ nick: "guest-9", message: "\x02waves\x02" }), true);
    expect(line).toMatchObject({ text: "waves", isAction: true, username: null });
  });

  it("ignores private messages, foreign channels and lines that clean to nothing", () => {
    expect(toIrcChatLine(event({ target: "alice" }), false)).toBeNull();
    expect(toIrcChatLine(event({ target: "#not-ours" }), false)).toBeNull();
    expect(toIrcChatLine(event({ message: "\x03\x02" }), false)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { toChatMessage } from "./chat-message.ts";
import type { TIrcChatLine } from "./irc-chat-line.ts";

const line: TIrcChatLine = {
  msgid: "001~1~8",
  channel: "bob",
  nick: "alice|web",
  username: "alice",
  text: "hi",
  isAction: false,
  sentAt: new Date("2026-11-24T10:00:00.123Z"),
  replyTo: null,
};

describe("toChatMessage", () => {
  it("carries the line with its id and an ISO server-time", () => {
    expect(toChatMessage(line, null)).toEqual({
      id: "001~1~8",
      channel: "bob",
      nick: "alice|web",
      username: "alice",
      text: "hi",
      isAction: false,
      sentAt: "2026-11-24T10:00:00.123Z",
      replyTo: null,
    });
  });

  it("names a reply's parent by its account (else its nick) with its text", () => {
    const parent = toChatMessage(
      { ...line, msgid: "001~1~7", nick: "carol", username: null, text: "hello?" },
      null,
    );
    const reply = toChatMessage({ ...line, replyTo: "001~1~7" }, parent);
    expect(reply.replyTo).toEqual({ id: "001~1~7", nick: "carol", text: "hello?" });
    const fromAccount = toChatMessage({ ...line, replyTo: "001~1~8" }, toChatMessage(line, null));
    expect(fromAccount.replyTo?.nick).toBe("alice");
  });

  it("keeps only the id of a reply whose parent is gone", () => {
    expect(toChatMessage({ ...line, replyTo: "001~0~1" }, null).replyTo).toEqual({
      id: "001~0~1",
      nick: "",
      text: "",
    });
  });
});

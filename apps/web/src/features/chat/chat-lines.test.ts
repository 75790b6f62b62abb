import type { TChatMessage } from "@relaycast/chat/protocol";
import { describe, expect, it } from "vitest";
import {
  CHAT_LINES_MAX,
  CHAT_LINES_MAX_PAUSED,
  chatLinesReducer,
  initialChatLines,
  type TChatLinesAction,
  type TChatLinesState,
} from "./chat-lines.ts";

function message(index: number): TChatMessage {
  return {
    id: `m${index}`,
    channel: "alice",
    nick: "bob",
    username: "bob",
    text: `line ${index}`,
    isAction: false,
    sentAt: new Date(Date.UTC(2026, 10, 24, 10, 0, index)).toISOString(),
    replyTo: null,
  };
}

const run = (actions: TChatLinesAction[], state: TChatLinesState = initialChatLines) =>
  actions.reduce(chatLinesReducer, state);
const ids = (state: TChatLinesState) => state.lines.map((line) => line.id);

describe("chatLinesReducer", () => {
  it("shows the history, then live lines, each once", () => {
    const state = run([
      { type: "history", messages: [message(1), message(2)] },
      { type: "message", message: message(3) },
      { type: "message", message: message(3) },
    ]);
    expect(ids(state)).toEqual(["m1", "m2", "m3"]);
  });

  it("after a reconnect adds only the lines missed meanwhile", () => {
    const before = run([{ type: "history", messages: [message(1), message(2)] }]);
    const after = run([{ type: "history", messages: [message(2), message(3), message(4)] }], before);
    expect(ids(after)).toEqual(["m1", "m2", "m3", "m4"]);
  });

  it("keeps at most the last CHAT_LINES_MAX lines while following", () => {
    const state = run(
      Array.from({ length: CHAT_LINES_MAX + 50 }, (_, index) => ({
        type: "message",
        message: message(index),
      })),
    );
    expect(state.lines).toHaveLength(CHAT_LINES_MAX);
    expect(state.lines[0]?.id).toBe("m50");
    expect(state.unseen).toBe(0);
  });

  it("counts the lines that arrive while paused, and resets on return to the bottom", () => {
    const paused = run([
      { type: "history", messages: [message(1)] },
      { type: "scrolled", isAtBottom: false },
      { type: "message", message: message(2) },
      { type: "message", message: message(3) },
      { type: "scrolled", isAtBottom: false },
      { type: "message", message: message(4) },
    ]);
    expect(paused.isPaused).toBe(true);
    expect(paused.unseen).toBe(3);
    const resumed = run([{ type: "scrolled", isAtBottom: true }], paused);
    expect(resumed).toMatchObject({ isPaused: false, unseen: 0 });
    expect(ids(resumed)).toEqual(["m1", "m2", "m3", "m4"]);
  });

  it("keeps more lines while paused, and trims back when following again", () => {
    const paused = run([
      { type: "scrolled", isAtBottom: false },
      ...Array.from({ length: CHAT_LINES_MAX_PAUSED + 10 }, (_, index): TChatLinesAction => ({
        type: "message",
        message: message(index),
      })),
    ]);
    expect(paused.lines).toHaveLength(CHAT_LINES_MAX_PAUSED);
    expect(paused.unseen).toBe(CHAT_LINES_MAX_PAUSED + 10);
    expect(run([{ type: "scrolled", isAtBottom: true }], paused).lines).toHaveLength(CHAT_LINES_MAX);
  });

  it("marks a deleted line and leaves the others", () => {
    const state = run([
      { type: "history", messages: [message(1), message(2)] },
      { type: "delete", id: "m1" },
      { type: "delete", id: "unknown" },
    ]);
    expect(state.lines.map((line) => line.kind === "message" && line.isDeleted)).toEqual([true, false]);
  });

  it("shows notices inline, each with its own id", () => {
    const notice = { code: "refused", text: "You were removed from the chat." } as const;
    const state = run([
      { type: "notice", notice, at: "2026-11-24T10:00:00.000Z" },
      { type: "notice", notice, at: "2026-11-24T10:00:01.000Z" },
    ]);
    expect(ids(state)).toEqual(["notice-1", "notice-2"]);
    expect(state.lines[0]).toMatchObject({ kind: "notice", notice });
  });

  it("a clear empties the chat; what comes after shows", () => {
    const state = run([
      { type: "history", messages: [message(1), message(2)] },
      { type: "clear" },
      {
        type: "notice",
        notice: { code: "moderation", text: "The chat was cleared by alice." },
        at: "2026-11-24T10:00:03.000Z",
      },
      { type: "message", message: message(3) },
    ]);
    expect(ids(state)).toEqual(["notice-1", "m3"]);
  });
});

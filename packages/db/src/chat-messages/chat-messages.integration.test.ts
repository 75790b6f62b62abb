import { describe, expect, it } from "vitest";
import { seedChannel } from "../testing/index.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { listRecentChatMessages } from "./list-recent-chat-messages.ts";
import { saveChatMessages, type TChatMessageRow } from "./save-chat-messages.ts";

const testDb = useTestDb();

function line(overrides: Partial<TChatMessageRow> & Pick<TChatMessageRow, "msgid" | "channelName">) {
  return {
    username: null,
    nick: "guest-1",
    text: "hello",
    replyTo: null,
    isAction: false,
    sentAt: new Date("2026-11-24T10:00:00.000Z"),
    ...overrides,
  };
}

describe("chat messages", () => {
  it("saves lines once per msgid, links accounts by username, and lists the latest oldest first", async () => {
    const { user, channel } = await seedChannel(testDb.db());
    const rows = Array.from({ length: 5 }, (_, index) =>
      line({
        msgid: `001~1~${index}`,
        channelName: channel.name,
        username: index % 2 ? user.username : null,
        nick: index % 2 ? user.username : "guest-x",
        text: `line ${index}`,
        sentAt: new Date(Date.UTC(2026, 10, 24, 10, 0, index)),
      }),
    );
    expect(await saveChatMessages(testDb.db(), rows)).toBe(5);
    // A second gateway saving the same lines adds nothing.
    expect(await saveChatMessages(testDb.db(), rows)).toBe(0);

    const recent = await listRecentChatMessages(testDb.db(), { channelName: channel.name, take: 3 });
    expect(recent.map((row) => row.text)).toEqual(["line 2", "line 3", "line 4"]);
    expect(recent.map((row) => row.username)).toEqual([null, user.username, null]);
  });

  it("drops lines for channels that do not exist and never links an unknown username", async () => {
    const { channel } = await seedChannel(testDb.db());
    const saved = await saveChatMessages(testDb.db(), [
      line({ msgid: "001~2~0", channelName: "no_such_channel" }),
      line({ msgid: "001~2~1", channelName: channel.name, username: "nobody_here", nick: "nobody_here" }),
    ]);
    expect(saved).toBe(1);
    const [stored] = await listRecentChatMessages(testDb.db(), { channelName: channel.name, take: 10 });
    expect(stored).toMatchObject({ msgid: "001~2~1", username: null, nick: "nobody_here" });
  });
});

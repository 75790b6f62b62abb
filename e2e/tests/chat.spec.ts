import { randomBytes, randomUUID } from "node:crypto";
import { expect } from "@playwright/test";
import { IrcRegistrationError } from "@relaycast/chat/testing";
import { saveChatMessages } from "@relaycast/db";
import {
  chatAlert,
  chatInput,
  chatLine,
  chatLines,
  chatLog,
  chatTest as test,
  chatTexts,
  join,
  openChat,
  privmsg,
  say,
  watchForLine,
} from "../support/chat.ts";
import { testDb } from "../support/database.ts";
import { E2E_CHAT_RATE_LIMIT_MESSAGES } from "../support/platform-env.ts";

/**
 * Chat as people use it: viewers on the channel page (signed in or not), a friend in an IRC client
 * with a token from the dashboard, guests and impostors on IRC, the pop-out and the OBS source.
 * Everything runs through the real platform: the web app proxies the panel's socket.io to the
 * chat gateway, which speaks to InspIRCd, which checks IRC tokens against Postgres.
 */

function report(name: string, description: string) {
  test.info().annotations.push({ type: name, description });
  process.stdout.write(`      ${name}: ${description}\n`);
}

test("a signed-in viewer chats from the channel page; an anonymous viewer reads along and is asked to sign in", async ({
  people,
}) => {
  test.setTimeout(60_000);
  const channel = await people.channel();
  const dialogs: string[] = [];
  const anonymous = await people.anonymous();
  const viewer = await people.signUp("viewer");
  for (const page of [anonymous, viewer.page]) {
    page.on("dialog", (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  }
  await openChat(anonymous, `/${channel}`);
  await openChat(viewer.page, `/${channel}`);

  // The anonymous viewer cannot type; the panel says how to take part.
  await expect(chatInput(anonymous)).toBeDisabled();
  await expect(chatInput(anonymous)).toHaveAttribute("placeholder", "Sign in to chat");
  await expect(anonymous.getByRole("button", { name: "Chat", exact: true })).toBeDisabled();
  const signIn = anonymous.getByRole("link", { name: "Sign in to chat" });
  await expect(signIn).toBeVisible();
  await expect(signIn).toHaveAttribute("href", `/login?next=%2F${channel}`);

  await say(viewer.page, "hello from the web");
  for (const page of [anonymous, viewer.page]) {
    const line = chatLine(page, "hello from the web");
    await expect(line).toHaveCount(1);
    await expect(line.locator(".chat-nick")).toHaveText(viewer.username);
  }

  // Markup is text: shown as typed, never parsed.
  const markup = "<img src=x onerror=alert(1)>";
  await say(viewer.page, markup);
  for (const page of [anonymous, viewer.page]) {
    await expect(chatLine(page, markup)).toHaveCount(1);
    await expect(chatLine(page, markup).locator(".chat-text")).toHaveText(markup);
    await expect(chatLog(page).locator("img")).toHaveCount(0);
  }

  // The conversation is stored: Postgres holds the lines under the msgids the page shows.
  const shownIds = await chatLines(anonymous).evaluateAll((lines) =>
    lines.map((line) => line.getAttribute("data-msgid")),
  );
  expect(shownIds).toHaveLength(2);
  await expect
    .poll(
      async () =>
        (
          await testDb().chatMessage.findMany({
            where: { channel: { name: channel } },
            orderBy: { sentAt: "asc" },
            select: { msgid: true, nick: true, text: true },
          })
        ).map(({ msgid, nick, text }) => ({ msgid, nick, text })),
      { message: "the lines are written to Postgres" },
    )
    .toEqual([
      { msgid: shownIds[0], nick: viewer.username, text: "hello from the web" },
      { msgid: shownIds[1], nick: viewer.username, text: markup },
    ]);

  // A reload shows the same conversation.
  await viewer.page.reload();
  await expect(chatTexts(viewer.page)).toHaveText(["hello from the web", markup]);
  expect(
    await chatLines(viewer.page).evaluateAll((lines) => lines.map((line) => line.getAttribute("data-msgid"))),
  ).toEqual(shownIds);

  // The pop-out (signed in: it can send) and the OBS source (read-only) show it too.
  const popout = await viewer.context.newPage();
  await popout.goto(`/${channel}/chat`);
  await expect(popout.getByRole("heading", { level: 1, name: `${channel} chat` })).toBeVisible();
  await expect(chatTexts(popout)).toHaveText(["hello from the web", markup]);
  await say(popout, "and from the pop-out");
  await expect(chatLine(anonymous, "and from the pop-out")).toHaveCount(1);

  await anonymous.goto(`/${channel}/chat?obs=1`);
  await expect(chatTexts(anonymous)).toHaveText(["hello from the web", markup, "and from the pop-out"]);
  await expect(chatInput(anonymous)).toHaveCount(0);
  await expect(anonymous.getByRole("heading")).toHaveCount(0);

  expect(dialogs, "no script from a chat line ran").toEqual([]);
  await expect(anonymous.locator('img[src="x"]')).toHaveCount(0);
});

test("a friend chats from an IRC client with a token from the dashboard; guests only read, impostors are refused", async ({
  people,
  irc,
}) => {
  test.setTimeout(60_000);
  const channel = await people.channel();

  // The friend issues an IRC token on their dashboard; it is shown this once.
  const friend = await people.signUp("friend");
  await friend.page.getByLabel("Label (optional)").fill("e2e weechat");
  await friend.page.getByRole("button", { name: "Issue IRC token" }).click();
  await expect(friend.page.getByText("Copy this token now")).toBeVisible();
  const token = await friend.page.getByLabel("IRC token", { exact: true }).inputValue();
  expect(token).toMatch(/^irc_[A-Za-z0-9_-]{32}$/);
  await expect(friend.page.getByTestId("irc-token-row")).toContainText(["e2e weechat"]);
  await people.close(friend.context);

  const anonymous = await people.anonymous();
  const viewer = await people.signUp("viewer");
  await openChat(anonymous, `/${channel}`);
  await openChat(viewer.page, `/${channel}`);
  await expect(chatInput(viewer.page)).toBeEnabled({ timeout: 15_000 });

  // InspIRCd registers a connection on its one-second tick: all three connect at once.
  const guestNick = `guest-${randomBytes(3).toString("hex")}`;
  const [friendIrc, guest, impostor] = await Promise.all([
    irc.connect(friend.username, token),
    irc.connect(guestNick),
    // The channel owner's name without a token.
    irc.connect(channel).catch((error: unknown) => error),
  ]);
  expect(impostor).toBeInstanceOf(IrcRegistrationError);
  expect((impostor as Error).message).toContain("Login failed");
  expect((impostor as Error).message).toContain("IRC token from the Relaycast dashboard");
  expect(friendIrc.nick).toBe(friend.username);
  await Promise.all([join(friendIrc, channel), join(guest, channel)]);

  // Web → IRC → web: the viewer's line reaches IRC with its id and time, the friend answers.
  const question = "hello IRC, can you hear me?";
  const answer = `@${viewer.username} loud and clear, notes at https://example.com/notes?id=1.`;
  const watches = {
    questionOnAnonymous: await watchForLine(anonymous, question),
    answerOnViewer: await watchForLine(viewer.page, answer),
    answerOnAnonymous: await watchForLine(anonymous, answer),
  };
  const friendMark = friendIrc.mark();
  const enteredAt = Date.now();
  await chatInput(viewer.page).fill(question);
  await chatInput(viewer.page).press("Enter");
  const onIrc = await friendIrc.waitFor(privmsg(question), { from: friendMark, timeoutMs: 15_000 });
  const onIrcAt = Date.now();
  friendIrc.send(`PRIVMSG #${channel} :${answer}`);
  const answeredAt = Date.now();
  const [questionSeenAt, answerSeenByViewerAt, answerSeenByAnonymousAt] = await Promise.all([
    watches.questionOnAnonymous.seen(),
    watches.answerOnViewer.seen(),
    watches.answerOnAnonymous.seen(),
  ]);

  expect(onIrc.source).toMatch(new RegExp(`^${viewer.username}!u_[^@]+@`));
  expect(onIrc.tags.msgid).toBeTruthy();
  expect(onIrc.tags.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  const questionLine = chatLine(anonymous, question);
  await expect(questionLine).toHaveAttribute("data-msgid", onIrc.tags.msgid!);
  await expect(questionLine.locator("time")).toHaveAttribute(
    "datetime",
    new Date(onIrc.tags.time!).toISOString(),
  );
  await expect(questionLine.locator(".chat-nick")).toHaveText(viewer.username);
  // The guest reads along.
  await guest.waitFor(privmsg(question), { timeoutMs: 5_000 });

  // The answer mentions the viewer: highlighted for them only. Its URL is a link that opens safely.
  for (const page of [viewer.page, anonymous]) {
    await expect(chatLine(page, answer).locator(".chat-nick")).toHaveText(friend.username);
    const link = chatLine(page, answer).getByRole("link", { name: "https://example.com/notes?id=1" });
    await expect(link).toHaveAttribute("href", "https://example.com/notes?id=1");
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", /(^|\s)noopener(\s|$)/);
  }
  await expect(chatLine(viewer.page, answer)).toHaveClass(/(^|\s)is-mention(\s|$)/);
  await expect(chatLine(viewer.page, answer).locator("mark.chat-mention")).toHaveText(`@${viewer.username}`);
  await expect(chatLine(anonymous, answer)).not.toHaveClass(/(^|\s)is-mention(\s|$)/);
  await expect(chatLine(anonymous, answer).locator("mark")).toHaveCount(0);

  // A guest's line does not reach the web: the friend's next line does, and nothing in between.
  const guestMark = guest.mark();
  guest.send(`PRIVMSG #${channel} :guest line that nobody should see`);
  const refusal = await guest.waitForCommand("404", { from: guestMark });
  friendIrc.send(`PRIVMSG #${channel} :after the guest`);
  for (const page of [viewer.page, anonymous]) {
    await expect(chatTexts(page)).toHaveText([question, answer, "after the guest"]);
  }

  const ms = (value: number) => `${Math.round(value)} ms`;
  report(
    "chat latency",
    `web → IRC → web ${ms(questionSeenAt - enteredAt)} (Enter on the viewer's page to the line on another ` +
      `viewer's page); web → IRC client ${ms(onIrcAt - enteredAt)}; IRC client → web ` +
      `${ms(answerSeenByAnonymousAt - answeredAt)} (viewer's page ${ms(answerSeenByViewerAt - answeredAt)}); ` +
      `round trip with the IRC friend's immediate answer ${ms(answerSeenByViewerAt - enteredAt)}`,
  );
  report("guest PRIVMSG", `refused on IRC with ${refusal.command} ${refusal.params.slice(1).join(" ")}`);
});

test("a flood is cut at the limit with a clear notice to the sender; other viewers see only the allowed lines", async ({
  people,
}) => {
  test.setTimeout(60_000);
  const channel = await people.channel();
  const anonymous = await people.anonymous();
  const flooder = await people.signUp("flooder");
  await openChat(anonymous, `/${channel}`);
  await openChat(flooder.page, `/${channel}`);

  const input = chatInput(flooder.page);
  const alert = chatAlert(flooder.page);
  const allowed = E2E_CHAT_RATE_LIMIT_MESSAGES;
  for (let index = 1; index <= allowed + 2; index++) {
    const text = `flood ${index}`;
    if (index === 1) await expect(input).toBeEnabled({ timeout: 15_000 });
    await input.fill(text);
    await input.press("Enter");
    if (index <= allowed) {
      await expect(input).toHaveValue("", { timeout: 15_000 });
    } else {
      await expect(alert).toHaveText(/^You are sending messages too quickly\. Try again in \d+ s\.$/);
      // The refused line stays in the input, to send again later.
      await expect(input).toHaveValue(text);
    }
  }
  const expected = Array.from({ length: allowed }, (_, index) => `flood ${index + 1}`);
  await expect(chatTexts(flooder.page)).toHaveText(expected);

  // Another user's line after the flood: once it is shown, any leaked flood line would be too.
  const other = await people.signUp("other");
  await openChat(other.page, `/${channel}`);
  await say(other.page, "after the flood");
  await expect(chatTexts(anonymous)).toHaveText([...expected, "after the flood"]);
  await expect(chatAlert(anonymous)).toHaveCount(0);
  await expect(anonymous.getByTestId("chat-notice")).toHaveCount(0);
});

test("with a long conversation from Postgres, scrolling up holds the view and counts new lines until the viewer jumps back", async ({
  people,
}) => {
  test.setTimeout(60_000);
  const channel = await people.channel();
  // Forty earlier lines, stored as the gateway stores what IRC said; nobody has opened this chat yet.
  const now = Date.now();
  const earlier = Array.from({ length: 40 }, (_, index) => ({
    msgid: `e2e-${randomUUID()}`,
    channelName: channel,
    username: channel,
    nick: channel,
    text: `earlier line ${index + 1}`,
    replyTo: null,
    isAction: false,
    sentAt: new Date(now - (40 - index) * 1000),
  }));
  expect(await saveChatMessages(testDb(), earlier)).toBe(40);

  const reader = await people.anonymous();
  await openChat(reader, `/${channel}`);
  const log = chatLog(reader);
  await expect(chatLines(reader)).toHaveCount(40);
  await expect(chatTexts(reader).last()).toHaveText("earlier line 40");
  await expect(chatLines(reader).last()).toBeInViewport();
  expect(await log.evaluate((list) => list.scrollHeight > list.clientHeight)).toBe(true);

  // The reader scrolls up to read; new lines arrive meanwhile.
  await log.hover();
  await reader.mouse.wheel(0, -5_000);
  await expect.poll(() => log.evaluate((list) => list.scrollTop)).toBe(0);
  const talker = await people.signUp("talker");
  await openChat(talker.page, `/${channel}`);
  for (const text of ["new line 1", "new line 2", "new line 3"]) await say(talker.page, text);

  const jump = reader.getByRole("button", { name: "3 new messages" });
  await expect(jump).toBeVisible();
  expect(await log.evaluate((list) => list.scrollTop), "the view stays where the reader is").toBe(0);
  await expect(chatLine(reader, "new line 3")).not.toBeInViewport();

  await jump.click();
  await expect(jump).toBeHidden();
  await expect(chatLine(reader, "new line 3")).toBeInViewport();
  expect(
    await log.evaluate((list) => list.scrollHeight - list.scrollTop - list.clientHeight),
  ).toBeLessThanOrEqual(32);

  // Following again: the next line scrolls into view by itself, with no button.
  await say(talker.page, "new line 4");
  await expect(chatLine(reader, "new line 4")).toBeInViewport();
  await expect(reader.getByRole("button", { name: /new message/ })).toHaveCount(0);
});

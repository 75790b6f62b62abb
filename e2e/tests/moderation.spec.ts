import { expect, type Page } from "@playwright/test";
import { createIrcToken } from "@relaycast/db";
import {
  chatAlert,
  chatInput,
  chatLine,
  chatTest as test,
  join,
  openChat,
  privmsg,
  say,
  type IrcClients,
} from "../support/chat.ts";
import { testDb } from "../support/database.ts";

/**
 * Moderation as owners and moderators do it: from the dashboard and the web chat's menus and slash
 * commands, and as channel ops in an IRC client. What is done on one side holds on the other, and
 * every act is in the audit log.
 */

/** An IRC client signed in as the account, with a token made for it. */
async function ircAs(irc: IrcClients, username: string) {
  const user = await testDb().user.findUniqueOrThrow({ where: { username } });
  const { token } = await createIrcToken(testDb(), { userId: user.id });
  return irc.connect(username, token);
}

const notice = (page: Page, text: RegExp) => page.getByTestId("chat-notice").filter({ hasText: text });

test("the owner appoints a moderator, who cleans up a spammer on IRC from the web chat; it is all in the audit log", async ({
  people,
  irc,
}) => {
  test.setTimeout(90_000);
  const owner = await people.signUp("owner");
  const channel = owner.username;
  const moderator = await people.signUp("mod");
  const spammer = await people.signUp("spam");
  await people.close(spammer.context);

  await owner.page
    .getByRole("form", { name: "Appoint a moderator" })
    .getByLabel("Username")
    .fill(moderator.username);
  await owner.page.getByRole("button", { name: "Make moderator" }).click();
  await expect(owner.page.getByTestId("moderators")).toContainText(moderator.username);

  const watcher = await people.anonymous();
  await openChat(moderator.page, `/${channel}`);
  await openChat(watcher, `/${channel}`);
  const spamOnIrc = await ircAs(irc, spammer.username);
  await join(spamOnIrc, channel);
  spamOnIrc.send(`PRIVMSG #${channel} :BUY CHEAP FOLLOWERS at spam.example`);
  await expect(chatLine(watcher, "BUY CHEAP FOLLOWERS at spam.example")).toHaveCount(1);

  // The moderator deletes the line from its menu: it goes in the other browser too.
  const line = chatLine(moderator.page, "BUY CHEAP FOLLOWERS at spam.example");
  await line.hover();
  await line.locator(`summary[aria-label="Moderate this message from ${spammer.username}"]`).click();
  await line.getByRole("menuitem", { name: "Delete message" }).click();
  await expect(chatLine(watcher, "BUY CHEAP FOLLOWERS at spam.example")).toHaveCount(0);
  await expect(watcher.getByText("message deleted")).toBeVisible();
  await expect(
    notice(watcher, new RegExp(`${moderator.username} deleted a message from ${spammer.username}`)),
  ).toBeVisible();

  // Then bans the spammer from the menu on their name: IRC kicks them and keeps them out.
  await moderator.page.locator(`summary[aria-label="Moderate ${spammer.username}"]`).first().click();
  await moderator.page.getByRole("menuitem", { name: "Ban" }).first().click();
  await spamOnIrc.waitFor((message) => message.command === "KICK" && message.params[1] === spammer.username, {
    timeoutMs: 10_000,
  });
  const mark = spamOnIrc.mark();
  spamOnIrc.send(`JOIN #${channel}`);
  await spamOnIrc.waitFor((message) => message.command === "474", { from: mark });
  await expect(
    notice(watcher, new RegExp(`${spammer.username} was banned by ${moderator.username}`)),
  ).toBeVisible();

  await owner.page.goto("/dashboard/audit-log");
  const log = owner.page.getByTestId("audit-log");
  await expect(log.locator("tbody tr")).toHaveCount(3);
  await expect(log.locator('tr[data-action="ban"]')).toContainText(moderator.username);
  await expect(log.locator('tr[data-action="ban"]')).toContainText(spammer.username);
  await expect(log.locator('tr[data-action="message_delete"]')).toContainText(spammer.username);
  await expect(log.locator('tr[data-action="moderator_add"]')).toContainText(moderator.username);
  // Filtered by action.
  await owner.page.getByLabel("Action").selectOption("ban");
  await owner.page.getByRole("button", { name: "Filter" }).click();
  await expect(log.locator("tbody tr")).toHaveCount(1);
});

test("a timeout blocks the user on the web and on IRC, then ends by itself", async ({ people, irc }) => {
  test.setTimeout(90_000);
  const owner = await people.signUp("owner");
  const channel = owner.username;
  const chatter = await people.signUp("chatter");
  const watcher = await people.anonymous();
  await openChat(owner.page, `/${channel}`);
  await openChat(chatter.page, `/${channel}`);
  await openChat(watcher, `/${channel}`);
  const chatterOnIrc = await ircAs(irc, chatter.username);
  await join(chatterOnIrc, channel);

  await say(owner.page, `/timeout ${chatter.username} 6 cool off`);
  await expect(
    notice(
      watcher,
      new RegExp(`${chatter.username} was timed out for 6 seconds by ${owner.username}: cool off`),
    ),
  ).toBeVisible();

  await chatInput(chatter.page).fill("can I talk?");
  await chatInput(chatter.page).press("Enter");
  await expect(chatAlert(chatter.page)).toHaveText(/^You are timed out for another \d s\. Reason: cool off$/);
  await chatterOnIrc.waitFor(
    (message) => message.command === "MODE" && message.params.includes(`m:${chatter.username}!*@*`),
  );
  const mark = chatterOnIrc.mark();
  chatterOnIrc.send(`PRIVMSG #${channel} :from irc while muted`);
  await chatterOnIrc.waitFor((message) => message.command === "404", { from: mark });

  // It ends by itself: the mute is lifted on IRC, and both sides can speak again.
  await chatterOnIrc.waitFor(
    (message) =>
      message.command === "MODE" &&
      message.params[1]?.startsWith("-") === true &&
      message.params.includes(`m:${chatter.username}!*@*`),
    { timeoutMs: 15_000 },
  );
  await say(chatter.page, "back on the web");
  chatterOnIrc.send(`PRIVMSG #${channel} :back on irc`);
  await expect(chatLine(watcher, "back on the web")).toHaveCount(1);
  await expect(chatLine(watcher, "back on irc")).toHaveCount(1);
  await expect(chatLine(watcher, "from irc while muted")).toHaveCount(0);
  expect(chatterOnIrc.lines.some(privmsg("can I talk?"))).toBe(false);
});

test("a ban the owner sets on IRC shows on the web, and the banned user can no longer chat there", async ({
  people,
  irc,
}) => {
  test.setTimeout(90_000);
  const owner = await people.signUp("owner");
  const channel = owner.username;
  const chatter = await people.signUp("chatter");
  const watcher = await people.anonymous();
  await openChat(chatter.page, `/${channel}`);
  await openChat(watcher, `/${channel}`);
  await say(chatter.page, "hello everyone");
  const ownerOnIrc = await ircAs(irc, owner.username);
  await join(ownerOnIrc, channel);
  // The owner holds channel op on IRC.
  await ownerOnIrc.waitFor((message) => message.command === "MODE" && message.params[2] === owner.username, {
    timeoutMs: 10_000,
  });

  ownerOnIrc.send(`MODE #${channel} +b ${chatter.username}!*@*`);
  await expect(
    notice(watcher, new RegExp(`${chatter.username} was banned by ${owner.username}`)),
  ).toBeVisible();
  await expect(notice(chatter.page, /You were removed from the chat/)).toBeVisible();
  await chatInput(chatter.page).fill("let me back");
  await chatInput(chatter.page).press("Enter");
  await expect(chatAlert(chatter.page)).toHaveText(/banned/);
  // Opening the chat again, they read but cannot send.
  await chatter.page.reload();
  await expect(chatInput(chatter.page)).toBeDisabled();
  await expect(notice(chatter.page, /You are banned from this chat/)).toBeVisible();

  // The ban is stored, as the owner's act.
  const { id: channelId } = await testDb().channel.findUniqueOrThrow({ where: { name: channel } });
  const ban = await testDb().moderationAction.findFirstOrThrow({ where: { channelId, action: "ban" } });
  expect(ban).toMatchObject({ actorName: owner.username, targetName: chatter.username });
});

test("moderation API calls without the right role get 403; signed out, 401", async ({ people }) => {
  const owner = await people.signUp("owner");
  const channel = owner.username;
  const stranger = await people.signUp("stranger");
  const anonymous = await people.anonymous();
  const moderate = (page: Page, name: string, command: object) =>
    page.request.post(`/api/v1/channels/${name}/moderation`, { data: command });

  expect((await moderate(anonymous, channel, { type: "clear" })).status()).toBe(401);
  expect((await moderate(stranger.page, channel, { type: "clear" })).status()).toBe(403);
  expect((await moderate(stranger.page, channel, { type: "ban", username: owner.username })).status()).toBe(
    403,
  );
  expect((await stranger.page.request.get(`/api/v1/channels/${channel}/moderation/log`)).status()).toBe(403);
  expect((await anonymous.request.get(`/api/v1/channels/${channel}/moderation/log`)).status()).toBe(401);
  // The owner of one channel has no power in another.
  expect((await moderate(owner.page, stranger.username, { type: "clear" })).status()).toBe(403);
  expect((await moderate(owner.page, channel, { type: "nonsense" })).status()).toBe(400);

  const appointed = await moderate(owner.page, channel, { type: "mod", username: stranger.username });
  expect(appointed.status()).toBe(200);
  expect(await appointed.json()).toEqual({ text: `${stranger.username} is now a moderator of this chat.` });
  // Now a moderator: they read the log, and still cannot appoint.
  const log = await stranger.page.request.get(
    `/api/v1/channels/${channel}/moderation/log?action=moderator_add`,
  );
  expect(log.status()).toBe(200);
  expect((await log.json()).actions).toEqual([
    expect.objectContaining({
      action: "moderator_add",
      actorName: owner.username,
      targetName: stranger.username,
    }),
  ]);
  expect(
    (await moderate(stranger.page, channel, { type: "mod", username: stranger.username })).status(),
  ).toBe(403);
});

test("a viewer reports a line from its menu; the report waits on the owner's dashboard, who deletes the line", async ({
  people,
}) => {
  test.setTimeout(60_000);
  const owner = await people.signUp("owner");
  const channel = owner.username;
  const troll = await people.signUp("troll");
  const viewer = await people.signUp("viewer");
  await openChat(troll.page, `/${channel}`);
  await openChat(viewer.page, `/${channel}`);
  await say(troll.page, "you all stink");

  const line = chatLine(viewer.page, "you all stink");
  await line.hover();
  await line.locator(`summary[aria-label="Report this message from ${troll.username}"]`).click();
  await line.getByRole("menuitem", { name: "Report harassment" }).click();
  await expect(notice(viewer.page, /the channel's moderators will look at it/)).toBeVisible();

  await owner.page.goto("/dashboard");
  const report = owner.page.getByTestId("reports").locator("li").filter({ hasText: "you all stink" });
  await expect(report).toContainText("harassment");
  await expect(report).toContainText(viewer.username);
  await report.getByRole("button", { name: "Delete message" }).click();
  await expect(report.getByRole("status").first()).toHaveText(/deleted a message from/);
  await expect(chatLine(viewer.page, "you all stink")).toHaveCount(0);
  await report.getByRole("button", { name: "Close" }).click();
  await expect(owner.page.getByTestId("reports")).toHaveCount(0);
  await expect(owner.page.getByText("No open reports.")).toBeVisible();
});

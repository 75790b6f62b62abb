import { once } from "node:events";
import { test as base, expect, type Browser, type Page } from "@playwright/test";
import { promoteToAdmin } from "@relaycast/db";
import { logIn, signUpAndLand, uniqueUsername } from "../support/accounts.ts";
import {
  createBroadcaster,
  encodersFixture,
  mediaStream,
  waitUntilLive,
  type EncoderPool,
} from "../support/broadcaster.ts";
import { testDb } from "../support/database.ts";
import { publishTestStream } from "../support/publisher.ts";
import { E2E_WEB_URL } from "../support/platform-env.ts";

/** The site admin at work: /admin's accounts and live streams, suspensions, and the audit log. */
const test = base.extend<{ encoders: EncoderPool }>({ encoders: encodersFixture });

/** A signed-in admin in a browser context of their own. */
async function signInAdmin(browser: Browser): Promise<{ page: Page; username: string }> {
  const page = await (await browser.newContext({ baseURL: E2E_WEB_URL })).newPage();
  const username = uniqueUsername("admin");
  await signUpAndLand(page, username);
  await promoteToAdmin(testDb(), { username });
  return { page, username };
}

test("an admin suspends a live broadcaster: the stream stops, ffmpeg is cut off, the key is dead and login fails", async ({
  browser,
  encoders,
}) => {
  test.setTimeout(90_000);
  const admin = await signInAdmin(browser);
  const broadcaster = await createBroadcaster(browser, { prefix: "suspendee" });
  const encoder = encoders.publish(broadcaster);
  await waitUntilLive(broadcaster.channel);

  await admin.page.goto(`/admin?q=${broadcaster.channel}`);
  const stream = admin.page.getByTestId("admin-streams").locator(`tr[data-channel="${broadcaster.channel}"]`);
  await expect(stream).toContainText("local");
  await expect(stream).toContainText("kb/s");
  const row = admin.page.getByTestId("admin-users").locator(`tr[data-username="${broadcaster.channel}"]`);
  await row.getByLabel(`Reason (Suspend ${broadcaster.channel})`).fill("terms of service");
  const exited = once(encoder.process, "exit");
  const suspendedAt = Date.now();
  await row.getByRole("button", { name: "Suspend" }).click();
  await expect(row.getByRole("status")).toHaveText(`${broadcaster.channel} is suspended.`);

  // Within a second the encoder is cut off and the channel goes off the air.
  await exited;
  const cutOffMs = Date.now() - suspendedAt;
  test.info().annotations.push({ type: "encoder cut off after", description: `${cutOffMs} ms` });
  expect(cutOffMs).toBeLessThan(3_000);
  await expect
    .poll(async () => (await mediaStream(broadcaster.channel))?.state ?? "offline")
    .not.toBe("live");

  // The key no longer publishes.
  const retry = publishTestStream(broadcaster.ingestUrl);
  const [code] = (await once(retry.process, "exit")) as [number | null];
  expect(code).not.toBe(0);
  expect(await mediaStream(broadcaster.channel)).toBeNull();

  // And the account cannot log in.
  const page = await (await browser.newContext({ baseURL: E2E_WEB_URL })).newPage();
  await logIn(page, broadcaster.channel);
  await expect(page.getByText("This account is suspended.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  // Every act is in the site's audit log.
  await admin.page.goto("/admin/audit-log");
  const suspension = admin.page.getByTestId("audit-log").locator('tr[data-action="account_suspend"]').first();
  await expect(suspension).toContainText(admin.username);
  await expect(suspension).toContainText(broadcaster.channel);
  await expect(suspension).toContainText("terms of service");
});

test("an admin stops a live stream from /admin: its key is revoked and the owner needs a new one", async ({
  browser,
  encoders,
}) => {
  test.setTimeout(60_000);
  const admin = await signInAdmin(browser);
  const broadcaster = await createBroadcaster(browser, { prefix: "stopped" });
  const encoder = encoders.publish(broadcaster);
  await waitUntilLive(broadcaster.channel);
  await admin.page.goto("/admin");
  const stream = admin.page.getByTestId("admin-streams").locator(`tr[data-channel="${broadcaster.channel}"]`);
  const exited = once(encoder.process, "exit");
  await stream.getByRole("button", { name: "Stop stream" }).click();
  await exited;
  await expect
    .poll(async () => (await mediaStream(broadcaster.channel))?.state ?? "offline")
    .not.toBe("live");
  const stop = await testDb().moderationAction.findFirstOrThrow({
    where: { action: "stream_stop", targetName: broadcaster.channel },
  });
  expect(stop.actorName).toBe(admin.username);
});

test("a plain user reaches neither /admin (404) nor its APIs (403); signed out, 401", async ({ browser }) => {
  const page = await (await browser.newContext({ baseURL: E2E_WEB_URL })).newPage();
  const anonymous = await (await browser.newContext({ baseURL: E2E_WEB_URL })).newPage();
  await signUpAndLand(page, uniqueUsername("plain"));
  expect((await page.goto("/admin"))?.status()).toBe(404);
  expect((await page.goto("/admin/audit-log"))?.status()).toBe(404);
  expect((await page.request.get("/api/v1/admin/users")).status()).toBe(403);
  expect((await page.request.put("/api/v1/admin/users/somebody/suspension", { data: {} })).status()).toBe(
    403,
  );
  expect((await anonymous.request.get("/api/v1/admin/users")).status()).toBe(401);
  const admin = await signInAdmin(browser);
  const users = await admin.page.request.get(`/api/v1/admin/users?q=${admin.username}`);
  expect(users.status()).toBe(200);
  expect((await users.json()).users).toEqual([
    expect.objectContaining({ username: admin.username, role: "admin" }),
  ]);
});

import { findChannelByStreamKey } from "@relaycast/db";
import { expect, test } from "@playwright/test";
import { logIn, signUpAndLand, uniqueUsername } from "../support/accounts.ts";
import { testDb } from "../support/database.ts";
import { E2E_RTMP_INGEST_URL } from "../support/platform-env.ts";

test("a broadcaster signs up, gets a stream key and OBS settings, regenerates it, logs out and in", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const username = uniqueUsername("Caster");
  await signUpAndLand(page, username);

  // The key is masked until revealed, then copyable; it is the channel's working key.
  const keyField = page.getByRole("textbox", { name: "Stream key" });
  await expect(keyField).toHaveAttribute("type", "password");
  await page.getByRole("button", { name: "Reveal" }).click();
  await expect(keyField).toHaveAttribute("type", "text");
  const firstKey = await keyField.inputValue();
  expect(firstKey).toMatch(/^live_[A-Za-z0-9_-]{32}$/);
  await page.getByRole("button", { name: "Copy stream key" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstKey);
  expect(await findChannelByStreamKey(testDb(), { streamKey: firstKey })).toEqual(
    expect.objectContaining({ name: username.toLowerCase() }),
  );

  // OBS settings: exactly what to paste.
  await expect(page.getByRole("textbox", { name: "Server (ingest URL)" })).toHaveValue(E2E_RTMP_INGEST_URL);
  const obs = page.locator("details.obs");
  await expect(obs).toContainText("Custom…");
  await expect(obs).toContainText(E2E_RTMP_INGEST_URL);

  // The key is shown once: a reload no longer has it.
  await page.reload();
  await expect(page.getByRole("textbox", { name: "Stream key" })).toHaveCount(0);
  await expect(page.getByText("cannot be shown again")).toBeVisible();

  // Regenerate: the old key stops working at once, the new one works.
  await page.getByRole("button", { name: "Regenerate stream key" }).click();
  await page.getByRole("button", { name: "Yes, regenerate" }).click();
  await page.getByRole("button", { name: "Reveal" }).click();
  const secondKey = await page.getByRole("textbox", { name: "Stream key" }).inputValue();
  expect(secondKey).toMatch(/^live_[A-Za-z0-9_-]{32}$/);
  expect(secondKey).not.toBe(firstKey);
  expect(await findChannelByStreamKey(testDb(), { streamKey: firstKey })).toBeNull();
  expect(await findChannelByStreamKey(testDb(), { streamKey: secondKey })).not.toBeNull();

  // Keys are stored only as hashes.
  const stored = await testDb().streamKey.findMany({
    where: { channel: { name: username.toLowerCase() } },
    omit: { keyHash: false },
  });
  expect(stored).toHaveLength(2);
  for (const row of stored) expect([firstKey, secondKey]).not.toContain(row.keyHash);

  // The title is edited on the dashboard and shown, as text, on the channel page.
  await page.getByLabel("Stream title").fill("<b>Speedrun</b> night");
  await page.getByRole("button", { name: "Save title" }).click();
  await expect(page.getByText("Title saved.")).toBeVisible();
  await page.goto(`/${username.toLowerCase()}`);
  await expect(page.getByRole("heading", { name: username })).toBeVisible();
  await expect(page.getByText("<b>Speedrun</b> night")).toBeVisible();
  // Never live: the badge says Offline and the player says so (see viewer-experience.spec.ts for live).
  await expect(page.locator(".channel-info .badge")).toHaveText("Offline");
  await expect(page.getByText(`${username.toLowerCase()} is offline.`)).toBeVisible();

  // Log out, then in again with the username in another case.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await logIn(page, username.toUpperCase());
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByLabel("Stream title")).toHaveValue("<b>Speedrun</b> night");
});

test("the home page tells a new broadcaster how to go live when nobody is", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Live now" })).toBeVisible();
  await expect(page.getByText("Nobody is live right now.")).toBeVisible();
  await page.getByRole("link", { name: "create a channel" }).click();
  await expect(page.getByRole("heading", { name: "Create your channel" })).toBeVisible();
});

test("an unknown channel is a 404", async ({ page }) => {
  const response = await page.goto("/no_such_channel_here");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

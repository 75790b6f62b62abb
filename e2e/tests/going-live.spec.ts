import { expect, test } from "@playwright/test";
import { signUpAndLand, uniqueUsername } from "../support/accounts.ts";
import { testDb } from "../support/database.ts";
import { E2E_RTMP_INGEST_URL } from "../support/platform-env.ts";
import { publishTestStream } from "../support/publisher.ts";

test("a broadcaster pastes the key into their encoder, goes live, sees the stream's health, and goes offline", async ({
  page,
}) => {
  test.setTimeout(60_000);
  const username = uniqueUsername("live");
  await signUpAndLand(page, username);
  const health = page.getByRole("region", { name: "Stream health" });
  await expect(health).toContainText("You are offline.");

  await page.getByRole("button", { name: "Reveal" }).click();
  const streamKey = await page.getByRole("textbox", { name: "Stream key" }).inputValue();
  const encoder = publishTestStream(`${E2E_RTMP_INGEST_URL}/${streamKey}`);
  try {
    // The panel refreshes itself: no reload.
    await expect(health).toContainText("Live", { timeout: 15_000 });
    await expect(health).toContainText("H.264, 640×360");
    await expect(health).toContainText("AAC, 48 kHz, stereo");
    await expect(health).toContainText(/Ingest bitrate\s*[1-9][\d,]* kbps/);
    await expect(health).toContainText("Keyframe interval2.0 s", { timeout: 10_000 });
    const channel = await testDb().channel.findUniqueOrThrow({ where: { name: username.toLowerCase() } });
    expect(channel.liveState).toBe("live");
  } finally {
    await encoder.stop();
  }

  await expect(health).toContainText("Reconnecting…", { timeout: 15_000 });
  await expect(health).toContainText("You are offline.", { timeout: 15_000 });
  const broadcasts = await testDb().broadcast.findMany({
    where: { channel: { name: username.toLowerCase() } },
  });
  expect(broadcasts).toHaveLength(1);
  expect(broadcasts[0]!.endedAt).not.toBeNull();
});

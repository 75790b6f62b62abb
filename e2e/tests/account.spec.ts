import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { IrcRegistrationError, IrcTestClient } from "@relaycast/chat/testing";
import { createIrcToken } from "@relaycast/db";
import { logIn, PASSWORD, signUpAndLand, uniqueUsername } from "../support/accounts.ts";
import { testDb } from "../support/database.ts";
import { E2E_IRC_PUBLIC_PORT, E2E_WEB_URL } from "../support/platform-env.ts";

/** An account's own settings: password, email, sessions, and a forgotten password reset by mail. */

const NEW_PASSWORD = "a brand new passphrase 42";

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ baseURL: E2E_WEB_URL })).newPage();
}

/** The reset link of the last mail the mail sink took for this address. */
async function resetLinkMailedTo(email: string): Promise<string> {
  const dir = process.env.E2E_MAIL_DIR!;
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        for (const file of (await readdir(dir)).sort((a, b) => parseInt(b) - parseInt(a))) {
          const mail = await readFile(join(dir, file), "utf8");
          if (!mail.includes(`To: ${email}`)) continue;
          link = /(http:\/\/\S+\/reset-password\?token=[\w-]+)/.exec(decodeQuotedPrintable(mail))?.[1];
          if (link) return true;
        }
        return false;
      },
      { message: "the reset mail", timeout: 10_000 },
    )
    .toBe(true);
  return link!;
}

/** A mail body as sent: soft line breaks joined, `=XX` escapes decoded. */
function decodeQuotedPrintable(mail: string): string {
  return mail
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

test("a forgotten password is reset by a mailed link that works once; the old password stops working", async ({
  browser,
}) => {
  const username = uniqueUsername("forgetful");
  const email = `${username}@example.com`;
  const page = await newPage(browser);
  await signUpAndLand(page, username);
  await page.context().clearCookies();

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is on its way" })).toBeVisible();
  const link = await resetLinkMailedTo(email);

  await page.goto(link);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page).toHaveURL(/\/login\?reason=reset$/);
  await logIn(page, username, PASSWORD);
  await expect(page.getByText("Wrong username or password.")).toBeVisible();
  await logIn(page, username, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);

  // The link was for one use.
  const again = await newPage(browser);
  await again.goto(link);
  await again.getByLabel("New password", { exact: true }).fill("yet another passphrase 7");
  await again.getByRole("button", { name: "Save the new password" }).click();
  await expect(again.getByText("This reset link has expired or was used already.")).toBeVisible();
});

test("settings: change the password (other sessions end), change the email, sign out other sessions", async ({
  browser,
}) => {
  const username = uniqueUsername("settled");
  const laptop = await newPage(browser);
  await signUpAndLand(laptop, username);
  const phone = await newPage(browser);
  await logIn(phone, username);
  await expect(phone).toHaveURL(/\/dashboard$/);

  await laptop.goto("/settings");
  await expect(laptop.getByTestId("sessions").locator("li")).toHaveCount(2);
  await laptop.getByRole("button", { name: "Sign out the other session" }).click();
  await expect(laptop.getByTestId("sessions").locator("li")).toHaveCount(1);
  await phone.goto("/dashboard");
  await expect(phone).toHaveURL(/\/login/);

  const password = laptop.getByRole("form", { name: "Change your password" });
  await password.getByLabel("Current password").fill("not my password at all");
  await password.getByLabel("New password").fill(NEW_PASSWORD);
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("alert")).toHaveText("Your current password is not right.");
  // A refused form comes back empty, as password forms do.
  await password.getByLabel("Current password").fill(PASSWORD);
  await password.getByLabel("New password").fill(NEW_PASSWORD);
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("status")).toHaveText(/Your password is changed/);

  const emailForm = laptop.getByRole("form", { name: "Change your email" });
  const newEmail = `${username}@new.example`;
  await emailForm.getByLabel("New email").fill(newEmail);
  await emailForm.getByLabel("Your password").fill(NEW_PASSWORD);
  await emailForm.getByRole("button", { name: "Change email" }).click();
  await expect(emailForm.getByRole("status")).toHaveText(`Your email is now ${newEmail}.`);
  await laptop.reload();
  await expect(laptop.getByTestId("current-email")).toHaveText(newEmail);

  // The new email and password log in.
  await phone.context().clearCookies();
  await logIn(phone, newEmail, NEW_PASSWORD);
  await expect(phone).toHaveURL(/\/dashboard$/);
});

test("deleting the account takes its channel, its login and its IRC token", async ({ browser }) => {
  const username = uniqueUsername("leaving");
  const page = await newPage(browser);
  await signUpAndLand(page, username);
  const user = await testDb().user.findUniqueOrThrow({ where: { username } });
  const { token } = await createIrcToken(testDb(), { userId: user.id });

  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Delete your account" });
  await form.getByLabel("Your password").fill(PASSWORD);
  await form.getByLabel('Type "delete" to confirm').fill("delete");
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText("Your account is deleted.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  // Channel pages share a status poll of 1.5 s: the channel is gone within it.
  await expect.poll(async () => (await page.request.get(`/${username}`)).status()).toBe(404);
  await logIn(page, username);
  await expect(page.getByText("Wrong username or password.")).toBeVisible();
  const refused = await IrcTestClient.connect({
    port: E2E_IRC_PUBLIC_PORT,
    nick: username,
    pass: token,
  }).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(IrcRegistrationError);
});

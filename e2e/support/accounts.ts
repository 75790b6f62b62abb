import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

/** A username no other test uses. */
export function uniqueUsername(prefix = "user") {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

export async function signUp(
  page: Page,
  {
    username,
    email = `${username}@example.com`,
    password = PASSWORD,
    bypassLengthLimits = false,
  }: {
    username: string;
    email?: string;
    password?: string;
    /** Posts what a hand-made client could, beyond the form's maxlength attributes. */
    bypassLengthLimits?: boolean;
  },
) {
  await page.goto("/signup");
  if (bypassLengthLimits) {
    await page.locator("form input[maxlength]").evaluateAll((inputs) => {
      for (const input of inputs) input.removeAttribute("maxlength");
    });
  }
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
}

export async function signUpAndLand(page: Page, username: string) {
  await signUp(page, { username });
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function logIn(page: Page, identifier: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(identifier);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

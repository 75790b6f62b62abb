import { expect, test } from "@playwright/test";
import { E2E_LOGIN_FAILURES_BEFORE_BACKOFF } from "../support/platform-env.ts";
import { logIn, PASSWORD, signUp, signUpAndLand, uniqueUsername } from "../support/accounts.ts";
import { countAccounts, testDb } from "../support/database.ts";

test.describe("sign-up refuses bad input with a clear error and writes nothing", () => {
  const cases = [
    { name: "a taken username, in another case", field: "Username", message: "That username is taken." },
    { name: "a taken email", field: "Email", message: "An account with that email already exists." },
    { name: "a reserved username", field: "Username", message: "That username is reserved." },
    { name: "markup as a username", field: "Username", message: "letters, digits and underscores" },
    { name: "markup as an email", field: "Email", message: "Enter a valid email address." },
    { name: "a weak password", field: "Password", message: "too common" },
    { name: "a 10 KB password", field: "Password", message: "at most 128 characters" },
  ] as const;

  let existing: string;
  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    existing = uniqueUsername("taken");
    await signUpAndLand(page, existing);
    await page.close();
  });

  for (const { name, field, message } of cases) {
    test(name, async ({ page }) => {
      const fresh = uniqueUsername("fresh");
      const input = {
        "a taken username, in another case": {
          username: existing.toUpperCase(),
          email: `${fresh}@example.com`,
        },
        "a taken email": { username: fresh, email: `${existing}@example.com` },
        "a reserved username": { username: "Admin" },
        "markup as a username": { username: "<script>x</script>" },
        "markup as an email": { username: fresh, email: "<img src=x onerror=alert(1)>@x.y" },
        "a weak password": { username: fresh, password: "password123" },
        "a 10 KB password": { username: fresh, password: "Zq9!".repeat(2500), bypassLengthLimits: true },
      }[name];
      const before = await countAccounts();
      let dialogs = 0;
      page.on("dialog", (dialog) => {
        dialogs += 1;
        void dialog.dismiss();
      });
      await signUp(page, input);
      await expect(page.getByLabel(field)).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByText(message)).toBeVisible();
      await expect(page).toHaveURL(/\/signup$/);
      expect(await countAccounts()).toEqual(before);
      expect(dialogs).toBe(0);
    });
  }
});

test("a 10 MB form post is refused and the site keeps serving", async ({ request }) => {
  const before = await countAccounts();
  const response = await request.post("/signup", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: `username=big_body&email=big%40example.com&password=${"a".repeat(10 * 1024 * 1024)}`,
    failOnStatusCode: false,
  });
  expect(response.status()).toBe(413);
  expect((await request.get("/login")).status()).toBe(200);
  expect(await countAccounts()).toEqual(before);
});

test("a form post from another origin is refused and writes nothing", async ({ page }) => {
  const before = await countAccounts();
  let forgedStatus = 0;
  await page.route("**/signup", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch({
      headers: { ...route.request().headers(), origin: "http://evil.example" },
    });
    forgedStatus = response.status();
    await route.fulfill({ response });
  });
  await signUp(page, { username: uniqueUsername("csrf") });
  await expect.poll(() => forgedStatus).toBeGreaterThanOrEqual(400);
  await expect(page).toHaveURL(/\/signup$/);
  expect(await countAccounts()).toEqual(before);
});

test("an expired session sends the user to log in again, saying why", async ({ page }) => {
  const username = uniqueUsername("expiring");
  await signUpAndLand(page, username);
  await testDb().session.updateMany({
    where: { user: { username: username.toLowerCase() } },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByText("Your session has expired. Please log in again.")).toBeVisible();
  await logIn(page, username);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("failed logins make this client wait before it tries the account again", async ({ page }) => {
  const username = uniqueUsername("guarded");
  await signUpAndLand(page, username);
  await page.getByRole("button", { name: "Log out" }).click();
  // Logged out once the header offers to log in (a /login before that still has the session: dashboard).
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  for (let attempt = 0; attempt < E2E_LOGIN_FAILURES_BEFORE_BACKOFF; attempt += 1) {
    await logIn(page, username, "wrong password here");
    await expect(page.getByText("Wrong username or password.")).toBeVisible();
  }
  // Over the limit even the right password is refused, with a clear message.
  await logIn(page, username, PASSWORD);
  await expect(page.getByText(/Too many login attempts\. Try again in/)).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

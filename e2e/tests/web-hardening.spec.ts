import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { logIn, PASSWORD, signUpAndLand, uniqueUsername } from "../support/accounts.ts";
import { createBroadcaster, EncoderPool, waitUntilLive } from "../support/broadcaster.ts";
import { startForwardingProxy } from "../support/forwarding-proxy.ts";
import { E2E_LOGIN_FAILURES_BEFORE_BACKOFF, E2E_WEB_PORT } from "../support/platform-env.ts";
import { expectVideoPlays, VIDEO_SELECTOR } from "../support/video.ts";

/** The web's defaults, which the e2e platform keeps. */
const EVENT_STREAMS_PER_IP = 20;
const API_REQUESTS_PER_MINUTE = 300;

/** Opens a raw HTTP request to the web app; resolves once the response head has arrived. */
function openRequest(path: string, headers: Record<string, string>) {
  return new Promise<{ response: IncomingMessage; request: ClientRequest }>((resolve, reject) => {
    const request = httpRequest(
      { host: "127.0.0.1", port: E2E_WEB_PORT, path, headers, agent: false },
      (response) => resolve({ response, request }),
    );
    request.on("error", reject);
    request.end();
  });
}

test("a forged X-Forwarded-For buys a direct client no more event streams than its own address allows", async () => {
  const open: ClientRequest[] = [];
  try {
    let refused: IncomingMessage | undefined;
    for (let index = 0; index < EVENT_STREAMS_PER_IP * 2 && !refused; index += 1) {
      const { response, request } = await openRequest("/api/v1/directory/events", {
        "x-forwarded-for": `203.0.113.${index}`,
      });
      if (response.statusCode === 200) open.push(request);
      else refused = response;
    }
    expect(refused?.statusCode).toBe(429);
    expect(Number(refused?.headers["retry-after"])).toBeGreaterThan(0);
    expect(open.length).toBeLessThanOrEqual(EVENT_STREAMS_PER_IP);
  } finally {
    for (const request of open) request.destroy();
  }
  // Closed streams give their slots back.
  await expect
    .poll(async () => {
      const { response, request } = await openRequest("/api/v1/directory/events", {});
      request.destroy();
      return response.statusCode;
    })
    .toBe(200);
});

test("behind the trusted proxy the API is limited per client, whatever the client writes into X-Forwarded-For", async () => {
  test.setTimeout(60_000);
  const proxy = await startForwardingProxy("198.51.100.50");
  const neighbour = await startForwardingProxy("198.51.100.51");
  try {
    let refused: Response | undefined;
    for (let index = 0; index <= API_REQUESTS_PER_MINUTE && !refused; index += 1) {
      const response = await fetch(`${proxy.url}/api/v1/channels/nobody_here`, {
        headers: { "x-forwarded-for": `203.0.113.${index % 250}` },
      });
      if (response.status === 429) refused = response;
      else expect(response.status).toBe(404);
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused?.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
    // Another visitor behind the same proxy, and direct clients, keep their own budgets.
    expect((await fetch(`${neighbour.url}/api/v1/channels/nobody_here`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${E2E_WEB_PORT}/api/v1/channels/nobody_here`)).status).toBe(404);
  } finally {
    await proxy.close();
    await neighbour.close();
  }
});

test("another client's wrong guesses do not keep the owner out of their account", async ({
  browser,
  page,
}) => {
  const owner = uniqueUsername("owner");
  await signUpAndLand(page, owner);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  const proxy = await startForwardingProxy("203.0.113.66");
  const attacker = await browser.newContext({ baseURL: proxy.url });
  try {
    const attackerPage = await attacker.newPage();
    for (let attempt = 0; attempt < E2E_LOGIN_FAILURES_BEFORE_BACKOFF; attempt += 1) {
      await logIn(attackerPage, owner, `wrong guess ${attempt}`);
      await expect(attackerPage.getByText("Wrong username or password.")).toBeVisible();
    }
    // The guesser waits now, even with the right password...
    await logIn(attackerPage, owner, PASSWORD);
    await expect(attackerPage.getByText(/Too many login attempts\. Try again in/)).toBeVisible();
  } finally {
    await attacker.close();
    await proxy.close();
  }
  // ...while the owner, from their own address, logs in at once.
  await logIn(page, owner, PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
});

/** Records every Content-Security-Policy violation the page reports. */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
    document.addEventListener("securitypolicyviolation", (event) =>
      violations.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return async () => [
    ...fromConsole,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
  ];
}

test("under the Content-Security-Policy the player plays on both paths and chat works, with no violation", async ({
  browser,
  page,
}) => {
  test.setTimeout(90_000);
  const encoders = new EncoderPool();
  try {
    const broadcaster = await createBroadcaster(browser, { prefix: "csp" });
    encoders.publish(broadcaster);
    await waitUntilLive(broadcaster.channel);
    const violations = await recordViolations(page);
    await signUpAndLand(page, uniqueUsername("cspviewer"));

    const response = await page.goto(`/${broadcaster.channel}`);
    const policy = (await response?.headerValue("content-security-policy")) ?? "";
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce, "the page's policy allows scripts by nonce").toBeTruthy();
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // Next.js's inline scripts carry this response's nonce.
    expect(await response?.text()).toContain(`nonce="${nonce}"`);

    // Low latency (video.js + mpegts.js over WebSocket-FLV).
    await expect(page.locator(".live-player")).toHaveAttribute("data-path", "low-latency");
    await expectVideoPlays(page);
    // HLS (video.js's VHS, with its worker).
    await page.getByRole("radio", { name: "HLS" }).check();
    await expect(page.locator(".live-player")).toHaveAttribute("data-path", "hls");
    await expectVideoPlays(page, { timeout: 30_000 });
    await expect(page.locator(VIDEO_SELECTOR)).toBeVisible();

    // Chat: through the web origin's socket.io proxy, over the policy's connect-src.
    const input = page.getByRole("textbox", { name: "Chat message" });
    await expect(input).toBeEnabled({ timeout: 15_000 });
    await input.fill("hello under csp");
    await input.press("Enter");
    await expect(page.getByTestId("chat-line").filter({ hasText: "hello under csp" })).toBeVisible({
      timeout: 15_000,
    });

    await page.goto("/");
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: "Stream key" })).toBeVisible();
    expect(await violations()).toEqual([]);
  } finally {
    await encoders.stopAll();
  }
});

test("a form whose body is over the size limit says so in the form", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Username").fill(uniqueUsername("huge"));
  // An email field has no maxlength: paste 100 KB into it.
  await page.getByLabel("Email").fill(`${"a".repeat(100 * 1024)}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByText("That is too much text to send: a form may hold at most 64 KB.")).toBeVisible();
  await expect(page).toHaveURL(/\/signup$/);
});

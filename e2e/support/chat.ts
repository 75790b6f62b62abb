import { randomBytes } from "node:crypto";
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { IrcTestClient, type IrcLine } from "@relaycast/chat/testing";
import { signUpAndLand, uniqueUsername } from "./accounts.ts";
import { E2E_IRC_PUBLIC_PORT, E2E_WEB_URL } from "./platform-env.ts";

/** Chat specs' fixtures: people in their own browser profiles, and IRC clients. */
export const chatTest = base.extend<{ people: People; irc: IrcClients }>({
  people: async ({ browser }, use) => {
    const people = new People(browser);
    try {
      await use(people);
    } finally {
      await people.closeAll();
    }
  },
  // eslint-disable-next-line no-empty-pattern
  irc: async ({}, use) => {
    const clients = new IrcClients();
    try {
      await use(clients);
    } finally {
      await clients.closeAll();
    }
  },
});

/** Browser contexts (separate profiles) the test opened: signed-in viewers and anonymous ones. */
export class People {
  private readonly contexts = new Set<BrowserContext>();
  constructor(private readonly browser: Browser) {}

  /** A new account, signed up through the UI, left on its dashboard. */
  async signUp(prefix: string): Promise<{ username: string; page: Page; context: BrowserContext }> {
    const context = await this.newContext();
    const page = await context.newPage();
    const username = uniqueUsername(prefix);
    await signUpAndLand(page, username);
    return { username, page, context };
  }

  /** A channel to chat in: its owner signs up and leaves. */
  async channel(): Promise<string> {
    const { username, context } = await this.signUp("chan");
    await this.close(context);
    return username;
  }

  async anonymous(): Promise<Page> {
    return (await this.newContext()).newPage();
  }

  async close(context: BrowserContext) {
    this.contexts.delete(context);
    await context.close();
  }

  async closeAll() {
    await Promise.all([...this.contexts].map((context) => context.close()));
    this.contexts.clear();
  }

  private async newContext() {
    const context = await this.browser.newContext({ baseURL: E2E_WEB_URL });
    this.contexts.add(context);
    return context;
  }
}

/** IRC connections to the public port, closed when the test ends. */
export class IrcClients {
  private readonly clients = new Set<IrcTestClient>();

  async connect(nick: string, pass?: string): Promise<IrcTestClient> {
    const client = await IrcTestClient.connect({
      port: E2E_IRC_PUBLIC_PORT,
      nick,
      pass,
      caps: ["message-tags", "server-time"],
    });
    this.clients.add(client);
    return client;
  }

  async closeAll() {
    await Promise.all([...this.clients].map((client) => client.close()));
    this.clients.clear();
  }
}

export const chatLog = (page: Page) => page.getByRole("log", { name: "Chat messages" });
export const chatInput = (page: Page) => page.getByRole("textbox", { name: "Chat message" });
export const chatLines = (page: Page) => page.getByTestId("chat-line");
/** The lines' texts (without the nick and the time), in order. */
export const chatTexts = (page: Page) => chatLines(page).locator(".chat-text");
/** The composer's own messages: the gateway's refusals. */
export const chatAlert = (page: Page) =>
  page.getByRole("form", { name: "Send a chat message" }).getByRole("alert");
/** The chat line whose text is exactly `text`. */
export const chatLine = (page: Page, text: string) =>
  chatLines(page).filter({ has: page.locator(".chat-text", { hasText: exactly(text) }) });

export function exactly(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}$`);
}

/** Opens a page with the chat panel (a channel page, the pop-out) and waits for its log. */
export async function openChat(page: Page, path: string) {
  await page.goto(path);
  await expect(chatLog(page)).toBeVisible();
}

/** Types a line and presses Enter; resolves once the gateway has accepted it (the input is cleared). */
export async function say(page: Page, text: string) {
  const input = chatInput(page);
  await expect(input).toBeEnabled({ timeout: 15_000 });
  await input.fill(text);
  await input.press("Enter");
  // The first line of a viewer waits for their own IRC connection to register (about a second).
  await expect(input).toHaveValue("", { timeout: 15_000 });
}

/**
 * Starts timing when a line with this exact text appears on the page (Date.now() in the page, the
 * same clock as the test's); `seen()` resolves with that time.
 */
export async function watchForLine(page: Page, text: string): Promise<{ seen(): Promise<number> }> {
  const key = randomBytes(4).toString("hex");
  await page.evaluate(
    ({ key, text }) => {
      const seenAt = ((window as unknown as { __chatSeen?: Record<string, Promise<number>> }).__chatSeen ??=
        {});
      seenAt[key] = new Promise<number>((resolve) => {
        const isThere = () =>
          Array.from(document.querySelectorAll('[data-testid="chat-line"] .chat-text')).some(
            (element) => element.textContent === text,
          );
        if (isThere()) return resolve(Date.now());
        const observer = new MutationObserver(() => {
          if (!isThere()) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
    },
    { key, text },
  );
  return {
    seen: () =>
      page.evaluate(
        (key) => (window as unknown as { __chatSeen: Record<string, Promise<number>> }).__chatSeen[key]!,
        key,
      ),
  };
}

/** JOINs a channel and waits for the end of its NAMES list. */
export async function join(client: IrcTestClient, channel: string) {
  const mark = client.mark();
  client.send(`JOIN #${channel}`);
  await client.waitFor((line) => line.command === "366" && line.params[1] === `#${channel}`, {
    from: mark,
    timeoutMs: 10_000,
  });
}

export const privmsg = (text: string) => (line: IrcLine) =>
  line.command === "PRIVMSG" && line.params[1] === text;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

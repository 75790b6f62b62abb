import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveIrcCredentials, IrcdProcess } from "@relaycast/chat/ircd";
import { createTestDatabase } from "@relaycast/db/testing";
import { createLogger } from "@relaycast/logger";
import {
  E2E_CHAT_PORT,
  E2E_CHAT_RATE_LIMIT_MESSAGES,
  E2E_IRC_GATEWAY_PORT,
  E2E_IRC_PUBLIC_PORT,
  E2E_IRC_SERVER_PORT,
  E2E_LOGIN_FAILURES_BEFORE_BACKOFF,
  E2E_IRC_TLS_PORT,
  E2E_MEDIA_HTTP_PORT,
  E2E_MEDIA_PUBLIC_URL,
  E2E_RTMP_INGEST_URL,
  E2E_RTMP_PORT,
  E2E_SMTP_PORT,
  E2E_TRUSTED_PROXY,
  E2E_WEB_PORT,
} from "./platform-env.ts";
import { startApp, waitForHttp } from "./app-process.ts";
import { startMailSink } from "./mail-sink.ts";

/**
 * Starts the platform as `npm start` runs it (InspIRCd, the chat gateway, the web app and a media
 * node), against a fresh database on the machine's PostgreSQL, and tears it all down after the
 * run, or at once when something does not come up. The web app must have been built (`turbo`
 * builds it first).
 */
export default async function globalSetup() {
  const teardown: Array<() => Promise<void>> = [];
  // Reverse order of start: the services, then InspIRCd, then the files and the database. Every
  // step runs even when one fails, so no process is left behind.
  const tearDown = async () => {
    const failures: unknown[] = [];
    for (const step of teardown.reverse()) await step().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  };
  try {
    await startPlatform(teardown);
  } catch (error) {
    await tearDown();
    throw error;
  }
  return tearDown;
}

async function startPlatform(teardown: Array<() => Promise<void>>) {
  const database = await createTestDatabase("relaycast_e2e");
  teardown.push(() => database.drop());
  const dataDir = await mkdtemp(join(tmpdir(), "relaycast-e2e-"));
  teardown.push(() => rm(dataDir, { recursive: true, force: true }));
  process.env.E2E_DATABASE_URL = database.databaseUrl;

  const ircSecret = randomBytes(24).toString("hex");
  const ircd = new IrcdProcess({
    dir: join(dataDir, "irc"),
    log: createLogger({ name: "e2e-ircd", level: "warn" }),
    // Shared with the chat package's integration tests: compiling the nick guard takes seconds.
    moduleBuildDir: join(tmpdir(), "relaycast-ircd-modules"),
    config: {
      credentials: deriveIrcCredentials(ircSecret),
      databaseUrl: database.databaseUrl,
      publicPort: E2E_IRC_PUBLIC_PORT,
      tlsPort: E2E_IRC_TLS_PORT,
      gatewayPort: E2E_IRC_GATEWAY_PORT,
      serverPort: E2E_IRC_SERVER_PORT,
    },
  });
  teardown.push(() => ircd.close());
  await ircd.start();

  const mailDir = join(dataDir, "mail");
  const mailSink = await startMailSink(mailDir, E2E_SMTP_PORT);
  teardown.push(() => mailSink.close());
  process.env.E2E_MAIL_DIR = mailDir;

  const authSecret = randomBytes(32).toString("base64url");
  const common = { ...process.env, DATABASE_URL: database.databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  const chat = startApp(teardown, "apps/chat", "src/main.ts", {
    ...common,
    CHAT_HOST: "127.0.0.1",
    CHAT_PORT: String(E2E_CHAT_PORT),
    WEB_AUTH_SECRET: authSecret,
    IRC_HOST: "127.0.0.1",
    IRC_GATEWAY_PORT: String(E2E_IRC_GATEWAY_PORT),
    IRC_SECRET: ircSecret,
    CHAT_RATE_LIMIT_MESSAGES: String(E2E_CHAT_RATE_LIMIT_MESSAGES),
  });
  const media = startApp(teardown, "apps/media", "src/main.ts", {
    ...common,
    MEDIA_HOST: "127.0.0.1",
    MEDIA_RTMP_PORT: String(E2E_RTMP_PORT),
    MEDIA_HTTP_PORT: String(E2E_MEDIA_HTTP_PORT),
    MEDIA_NODE_ID: "e2e",
  });
  const webEnv = {
    ...common,
    NODE_ENV: "production",
    WEB_PORT: String(E2E_WEB_PORT),
    WEB_PUBLIC_URL: `http://127.0.0.1:${E2E_WEB_PORT}`,
    WEB_AUTH_SECRET: authSecret,
    WEB_CHAT_GATEWAY_URL: `http://127.0.0.1:${E2E_CHAT_PORT}`,
    WEB_IRC_PORT: String(E2E_IRC_PUBLIC_PORT),
    WEB_RTMP_INGEST_URL: E2E_RTMP_INGEST_URL,
    WEB_MEDIA_API_URL: `http://127.0.0.1:${E2E_MEDIA_HTTP_PORT}`,
    // Where the browser plays from: without it the play API points at port 8000 on the page's host.
    WEB_MEDIA_PUBLIC_URL: E2E_MEDIA_PUBLIC_URL,
    WEB_LOGIN_FAILURES_BEFORE_BACKOFF: String(E2E_LOGIN_FAILURES_BEFORE_BACKOFF),
    TRUSTED_PROXIES: E2E_TRUSTED_PROXY,
    WEB_LOGIN_LIMIT_PER_IP: "500",
    WEB_SIGNUP_LIMIT_PER_IP_PER_HOUR: "500",
    SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
  };
  // A spec that runs a second web app (the cluster's) starts it as this one, on a port of its own.
  process.env.E2E_WEB_ENV = JSON.stringify(webEnv);
  const web = startApp(teardown, "apps/web", "src/server.ts", webEnv);
  await Promise.all([
    waitForHttp(web, `http://127.0.0.1:${E2E_WEB_PORT}/login`, 60_000),
    waitForHttp(media, `http://127.0.0.1:${E2E_MEDIA_HTTP_PORT}/api/v1/streams`, 60_000),
    // socket.io's own handshake: the gateway answers it before any channel is asked for.
    waitForHttp(chat, `http://127.0.0.1:${E2E_CHAT_PORT}/socket.io/?EIO=4&transport=polling`, 60_000),
  ]);
}

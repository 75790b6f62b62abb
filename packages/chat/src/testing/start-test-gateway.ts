import { randomBytes } from "node:crypto";
import type { Db } from "@relaycast/db";
import { createLogger, type Logger } from "@relaycast/logger";
import { startChatGateway, type TChatGatewayConfig } from "../gateway/start-chat-gateway.ts";

export const TEST_TOKEN_SECRET = randomBytes(32).toString("base64url");

/** A chat gateway on a free loopback port, talking to a test IRC server (from startTestIrcd). */
export async function startTestGateway({
  db,
  ircSecret,
  ircGatewayPort,
  port = 0,
  overrides = {},
  log = createLogger({ name: "test-chat", level: process.env.CHAT_TEST_LOG === "1" ? "warn" : "silent" }),
}: {
  db: Db;
  ircSecret: string;
  ircGatewayPort: number;
  port?: number;
  overrides?: Partial<TChatGatewayConfig>;
  log?: Logger;
}) {
  const gateway = await startChatGateway({
    db,
    log,
    config: {
      redisUrl: undefined,
      host: "127.0.0.1",
      port,
      tokenSecret: TEST_TOKEN_SECRET,
      irc: { host: "127.0.0.1", gatewayPort: ircGatewayPort, secret: ircSecret },
      rateLimit: { messages: 20, windowMs: 30_000 },
      maxConnectionsPerIp: 1_000,
      trustedProxies: ["127.0.0.0/8", "::1"],
      ircLingerMs: 1_000,
      ircIdleMs: 60_000,
      ...overrides,
    },
  });
  return { ...gateway, url: `http://127.0.0.1:${gateway.port}` };
}

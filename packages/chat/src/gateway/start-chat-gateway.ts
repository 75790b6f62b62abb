import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient, type RedisClientType } from "redis";
import { trustedProxySet, type TChatConfig } from "@relaycast/config";
import {
  activeChatRestriction,
  findChatMessage,
  getChannelByName,
  getChannelRole,
  listChannelOperators,
  listChannels,
  listRecentChatMessages,
  reportChatMessage,
  saveChatMessages,
  type Db,
} from "@relaycast/db";
import { Health, type Logger } from "@relaycast/logger";
import { deriveIrcCredentials } from "../ircd/irc-credentials.ts";
import { ChannelReader } from "../irc/channel-reader.ts";
import { WEB_NICK_SUFFIX } from "../irc/irc-names.ts";
import { IrcUserPool } from "../irc/irc-user-pool.ts";
import { ChatMetrics } from "../metrics/chat-metrics.ts";
import { compileBlockedTerms } from "../moderation/blocked-terms.ts";
import { ChannelOperators } from "../moderation/channel-operators.ts";
import { ModerationService } from "../moderation/moderation-service.ts";
import { SlowMode } from "../moderation/slow-mode.ts";
import { startTimeoutLifter } from "../moderation/timeout-lifter.ts";
import { reflectIrcModeration } from "../moderation/reflect-irc-moderation.ts";
import { MemoryRateLimiter } from "../rate-limit/rate-limiter.ts";
import { RedisRateLimiter } from "../rate-limit/redis-rate-limiter.ts";
import { describeRestriction } from "../moderation/describe-restriction.ts";
import { ChannelHistory } from "./channel-history.ts";
import { ChatMessageWriter } from "./chat-message-writer.ts";
import { createChatGateway } from "./chat-gateway.ts";
import { createInternalApi } from "./internal-api.ts";

export type TChatGatewayConfig = Omit<TChatConfig, "databaseUrl" | "logLevel">;

const CHANNEL_SYNC_INTERVAL_MS = 60_000;
const CHANNEL_PAGE = 500;

/**
 * The reader sits in every platform channel, not only those with web viewers: an IRC user can
 * join #<channel> (only opers create channels), the owner is opped, and IRC-only conversations
 * are stored too. New channels (sign-ups) are picked up within a minute, or at once when a web
 * viewer opens one.
 */
function keepEveryChannelWatched({ db, reader, log }: { db: Db; reader: ChannelReader; log: Logger }) {
  async function sync() {
    let after: string | undefined;
    for (;;) {
      const page = await listChannels(db, { take: CHANNEL_PAGE, after });
      for (const { name } of page) {
        reader
          .watch(name)
          .catch((error: unknown) => log.warn({ err: error, channel: name }, "reader could not join"));
      }
      if (page.length < CHANNEL_PAGE) return;
      after = page.at(-1)!.name;
    }
  }
  // While IRC is away there is nothing to join; the reader rejoins what it watched when it is back.
  const run = () => {
    if (reader.isConnected)
      void sync().catch((error: unknown) => log.warn({ err: error }, "could not list channels"));
  };
  reader.on("status", (status) => status === "connected" && run());
  const timer = setInterval(run, CHANNEL_SYNC_INTERVAL_MS);
  timer.unref();
  return timer;
}

/**
 * The chat gateway process's parts, wired: HTTP server, socket.io (with the Redis adapter when
 * REDIS_URL is set), the IRC reader, the per-user IRC pool, history and its writer.
 */
export async function startChatGateway({
  config,
  db,
  log,
}: {
  config: TChatGatewayConfig;
  db: Db;
  log: Logger;
}) {
  const credentials = deriveIrcCredentials(config.irc.secret);
  const ircServer = {
    host: config.irc.host,
    port: config.irc.gatewayPort,
    password: credentials.gatewayPassword,
  };
  const operators = new ChannelOperators(async (channelName) => {
    const found = await listChannelOperators(db, { channelName });
    return found && { ...found, blockedTermIn: compileBlockedTerms(found.blockedTerms) };
  });
  const reader = new ChannelReader(
    ircServer,
    { name: credentials.operName, password: credentials.operPassword },
    log,
    (channel, username) => operators.isOperator(channel, username),
  );
  const users = new IrcUserPool({
    server: ircServer,
    webircPassword: credentials.webircPassword,
    lingerMs: config.ircLingerMs,
    idleMs: config.ircIdleMs,
    log,
  });
  const history = new ChannelHistory(async (channelName, take) =>
    (await listRecentChatMessages(db, { channelName, take })).map((row) => ({
      ...row,
      channel: channelName,
    })),
  );
  const writer = new ChatMessageWriter(
    async (lines) => {
      await saveChatMessages(
        db,
        lines.map(({ channel, ...line }) => ({ ...line, channelName: channel })),
      );
    },
    log.child({ component: "chat-history" }),
  );
  const metrics = new ChatMetrics({
    pendingHistoryLines: () => writer.pendingCount,
    droppedHistoryLines: () => writer.droppedCount,
    historySaveFailures: () => writer.saveFailureCount,
    socketConnections: () => gateway.io.engine.clientsCount,
    ircConnections: () => users.size + (reader.isConnected ? 1 : 0),
  });

  const redisClients: RedisClientType[] = [];
  let limiterClient: RedisClientType | undefined;
  if (config.redisUrl) {
    const pub: RedisClientType = createClient({ url: config.redisUrl });
    const sub: RedisClientType = pub.duplicate();
    // The limiter's commands fail at once while Redis is away (the sender is told), instead of
    // queueing until it is back; the adapter's pub/sub clients queue.
    limiterClient = pub.duplicate({ disableOfflineQueue: true });
    redisClients.push(pub, sub, limiterClient);
    for (const client of redisClients)
      client.on("error", (error: Error) => log.warn({ err: error }, "redis error"));
    await Promise.all(redisClients.map((client) => client.connect()));
  }
  const rate = { limit: config.rateLimit.messages, windowMs: config.rateLimit.windowMs };
  const userLimiter = limiterClient
    ? new RedisRateLimiter(limiterClient, rate, "relaycast:chat:user-rate")
    : new MemoryRateLimiter(rate);

  const health = new Health([
    { name: "database", check: () => db.$queryRaw`SELECT 1` },
    ...(limiterClient ? [{ name: "redis", check: () => limiterClient.ping() }] : []),
    {
      name: "irc",
      check: async () => {
        if (!reader.isConnected) throw new Error("the IRC server is not connected");
      },
    },
  ]);
  const internalApi = createInternalApi({
    secret: config.tokenSecret,
    disconnectIrcSession: (username) => reader.operator.disconnect(username, "Your IRC token was revoked"),
    dropUser: (userId, username) => {
      gateway.dropUser(userId);
      const reason = "Your account is suspended";
      return [username, `${username}${WEB_NICK_SUFFIX}`]
        .map((nick) => reader.operator.disconnect(nick, reason))
        .every(Boolean);
    },
    moderate: (actor, channel, command) => moderation.act(actor, channel, command),
    banSiteWide: (actor, command) => moderation.actSiteWide(actor, command),
    metrics: metrics.registry,
  });
  const httpServer = createServer((request, response) => {
    if (!health.answer(request, response)) internalApi(request, response);
  });
  const gateway = createChatGateway(httpServer, {
    reader,
    users,
    history,
    writer,
    channelExists: async (name) => (await getChannelByName(db, { name })) !== null,
    standingOf: async (channelName, userId) => {
      const [standing, restriction] = await Promise.all([
        getChannelRole(db, { channelName, userId }),
        activeChatRestriction(db, { channelName, userId }),
      ]);
      const role = standing?.role ?? "viewer";
      return { role: role === "viewer" ? null : role, isBanned: restriction?.kind === "ban" };
    },
    restrictionOf: async (channelName, userId) =>
      describeRestriction(await activeChatRestriction(db, { channelName, userId })),
    moderate: (actor, channel, command) => moderation.act(actor, channel, command),
    report: async (reporter, channelName, line, reason) => {
      const outcome = await reportChatMessage(db, {
        channelName,
        msgid: line.id,
        messageNick: line.nick,
        messageText: line.text,
        reporter: { userId: reporter.userId, name: reporter.username },
        reason,
      });
      if (outcome === "no-channel") return { ok: false, error: "There is no such channel." };
      return { ok: true, text: "Thank you: the channel's moderators will look at it." };
    },
    operators,
    slowMode: new SlowMode(),
    hasPeers: Boolean(config.redisUrl),
    tokenSecret: config.tokenSecret,
    userLimiter,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    trustedProxies: trustedProxySet(config.trustedProxies),
    observe: {
      handlerError: (event) => metrics.handlerErrors.inc({ event }),
      sent: () => metrics.messages.inc({ direction: "in" }),
      delivered: () => metrics.messages.inc({ direction: "out" }),
      refused: (reason) => metrics.refusals.inc({ reason }),
    },
    log,
  });
  if (redisClients.length) gateway.io.adapter(createAdapter(redisClients[0], redisClients[1]));
  const moderation = new ModerationService({
    db,
    operator: reader.operator,
    room: gateway.room,
    findLine: async (channelName, msgid) =>
      history.find(channelName, msgid) ?? (await findChatMessage(db, { channelName, msgid })),
    acted: (action) => metrics.moderationActions.inc({ action }),
    log: log.child({ component: "moderation" }),
  });
  reflectIrcModeration({ reader, moderation, db, room: gateway.room, log });
  const timeoutLifter = startTimeoutLifter({ db, operator: reader.operator, log });

  writer.start();
  reader.start();
  const channelSync = keepEveryChannelWatched({ db, reader, log });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  log.info({ port, redis: Boolean(config.redisUrl) }, "chat gateway listening");

  return {
    port,
    io: gateway.io,
    async close() {
      health.drain();
      clearInterval(channelSync);
      timeoutLifter.stop();
      await gateway.close();
      users.close();
      reader.close();
      userLimiter.close();
      await writer.close();
      await Promise.all(redisClients.map(closeRedisClient));
    },
  };
}

/** How long a stop waits for a reconnecting Redis client before dropping what it has queued. */
const REDIS_CLOSE_WAIT_MS = 2_000;

/**
 * Quits gracefully, so that the commands a client has queued (the adapter's) are answered. A client
 * that is reconnecting gets a moment to come back; one whose Redis is still away is destroyed, which
 * fails its queued commands (a Redis that is away would hold a graceful quit until it is back).
 */
async function closeRedisClient(client: RedisClientType): Promise<void> {
  if (!client.isReady) {
    const waited = new AbortController();
    const timer = setTimeout(() => waited.abort(), REDIS_CLOSE_WAIT_MS);
    await once(client, "ready", { signal: waited.signal }).catch(() => {});
    clearTimeout(timer);
  }
  if (client.isReady) await client.close();
  else client.destroy();
}

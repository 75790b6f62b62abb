import { randomBytes } from "node:crypto";
import { signChatToken } from "@relaycast/chat/chat-token";
import { startTestIrcd, type TestIrcd } from "@relaycast/chat/testing";
import { createDb } from "@relaycast/db";
import { createTestDatabase } from "@relaycast/db/testing";
import { progress } from "../shared/progress.ts";
import type { ChatOptions } from "./chat-options.ts";
import type { DeliveryLog } from "./delivery-log.ts";
import { startGatewayProcess, type GatewayProcess } from "./gateway-process.ts";
import { IrcChatter } from "./irc-chatter.ts";
import { seedChatData } from "./seed-chat-data.ts";
import { WebChatter } from "./web-chatter.ts";

/** Sockets and files the gateway needs besides two per chatter. */
const SPARE_FILES = 1_024;

export type SeatedChatter<T> = { chatter: T; channel: number };

/** How the chatters and IRC clients came up. */
export type RampReport = {
  seconds: number;
  chattersConnected: number;
  ircClientsConnected: number;
  /** Why chatters or IRC clients did not come up, by reason. */
  failures: Record<string, number>;
};

/** Everything a chat run talks to, started, with every chatter in its channel. */
export type ChatRig = {
  channels: string[];
  gateway: GatewayProcess;
  ircd: TestIrcd;
  chatters: SeatedChatter<WebChatter>[];
  ircChatters: SeatedChatter<IrcChatter>[];
  /** Web chatters whose socket is open, per channel: the deliveries a line there should make. */
  connectedPerChannel: number[];
  /** Chatter sockets that closed after they had come up. */
  disconnects: Record<string, number>;
  ramp: RampReport;
  /** Rejects when the gateway dies. */
  failed: Promise<never>;
};

/**
 * A fresh database with the benchmark's users and channels, InspIRCd, the gateway process, then the
 * web chatters (in batches, each batch connected to IRC before the next) and the IRC clients. Pushes
 * a stop for each part onto `stops` as it starts, so a failure half-way still cleans up.
 */
export async function startChatRig(
  options: ChatOptions,
  log: DeliveryLog,
  stops: (() => Promise<void>)[],
): Promise<ChatRig> {
  progress("creating a database on the local PostgreSQL");
  const database = await createTestDatabase("relaycast_bench");
  stops.push(() => database.drop());
  const db = createDb(database.databaseUrl);
  const seed = await seedChatData(db, {
    chatters: options.chatters,
    ircUsers: options.ircClients,
    channels: options.channels,
  }).finally(() => db.$disconnect());
  progress(`seeded ${options.chatters + options.ircClients} users and ${options.channels} channels`);

  const ircSecret = randomBytes(24).toString("hex");
  const tokenSecret = randomBytes(32).toString("base64url");
  const ircd = await startTestIrcd({ databaseUrl: database.databaseUrl, secret: ircSecret });
  stops.push(() => ircd.close());
  progress(`InspIRCd pid ${ircd.process.pid}: public ${ircd.publicPort}, gateway ${ircd.gatewayPort}`);

  const gateway = await startGatewayProcess({
    databaseUrl: database.databaseUrl,
    tokenSecret,
    ircSecret,
    ircGatewayPort: ircd.gatewayPort,
    openFiles: options.chatters * 2 + SPARE_FILES,
    cpuProfileDir: options.gatewayCpuProfileDir,
  });
  stops.push(() => gateway.stop());
  progress(`chat gateway pid ${gateway.pid}: ${gateway.url}`);
  const failed = gateway.died;

  const rampStartedAt = performance.now();
  const connectedPerChannel = seed.channels.map(() => 0);
  const disconnects: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const chatters: SeatedChatter<WebChatter>[] = [];
  stops.push(async () => {
    for (const { chatter } of chatters) chatter.close();
  });
  for (let start = 0; start < seed.chatters.length; start += options.batchSize) {
    const batch = seed.chatters.slice(start, start + options.batchSize).map((user, offset) => {
      const index = start + offset;
      const channel = index % seed.channels.length;
      const chatter = new WebChatter({
        url: gateway.url,
        channel: seed.channels[channel]!,
        token: signChatToken({ userId: user.id, username: user.username }, tokenSecret),
        ip: viewerIp(index),
        onMessage: (text, arrivedAt) => log.arrived(text, arrivedAt),
        onDisconnect: (reason) => {
          connectedPerChannel[channel]! -= 1;
          disconnects[reason] = (disconnects[reason] ?? 0) + 1;
        },
      });
      return { chatter, channel };
    });
    const outcomes = await Promise.race([
      Promise.allSettled(batch.map(({ chatter }) => chatter.open(options.connectTimeoutSeconds * 1000))),
      failed,
    ]);
    outcomes.forEach((outcome, offset) => {
      const seated = batch[offset]!;
      if (outcome.status === "fulfilled") {
        chatters.push(seated);
        connectedPerChannel[seated.channel]! += 1;
      } else {
        seated.chatter.close();
        const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    });
    progress(
      `chatters connected to IRC: ${chatters.length}/${Math.min(start + batch.length, seed.chatters.length)}`,
    );
  }

  const ircChatters: SeatedChatter<IrcChatter>[] = [];
  stops.push(async () => {
    await Promise.all(ircChatters.map(({ chatter }) => chatter.close()));
  });
  const ircOutcomes = await Promise.race([
    Promise.allSettled(
      seed.ircUsers.map(async (user, index) => {
        const channel = index % seed.channels.length;
        const chatter = await IrcChatter.connect({
          port: ircd.publicPort,
          username: user.username,
          token: user.token,
          channel: seed.channels[channel]!,
          timeoutMs: options.connectTimeoutSeconds * 1000,
        });
        ircChatters.push({ chatter, channel });
      }),
    ),
    failed,
  ]);
  for (const outcome of ircOutcomes) {
    if (outcome.status === "fulfilled") continue;
    const reason = `IRC client: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`;
    failures[reason] = (failures[reason] ?? 0) + 1;
  }
  const ramp: RampReport = {
    seconds: Math.round((performance.now() - rampStartedAt) / 100) / 10,
    chattersConnected: chatters.length,
    ircClientsConnected: ircChatters.length,
    failures,
  };
  progress(`ramp done in ${ramp.seconds} s: ${chatters.length} chatters, ${ircChatters.length} IRC clients`);
  if (chatters.length === 0) throw new Error("no chatter connected to IRC through the gateway");
  return {
    channels: seed.channels,
    gateway,
    ircd,
    chatters,
    ircChatters,
    connectedPerChannel,
    disconnects,
    ramp,
    failed,
  };
}

/** A distinct private address (10.0.0.0/8) per chatter. */
function viewerIp(index: number): string {
  const n = index + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

import { rejectLeftovers, takeFlag, takeIntegerList, takeNumber, takeOption } from "../shared/cli-flags.ts";

export type ChatOptions = {
  isSmoke: boolean;
  /** Web chatters (socket.io, signed in, each with its own IRC connection in the gateway). */
  chatters: number;
  channels: number;
  /** IRC clients on the public port, one channel each. */
  ircClients: number;
  /** Total messages per second of each phase, in order. */
  ratesPerSecond: number[];
  /** How long each phase sends. */
  phaseSeconds: number;
  /** After a phase's last send: how long to wait for its last deliveries (less if all arrived). */
  drainSeconds: number;
  /** Pause after the ramp, before the first phase. */
  settleSeconds: number;
  /** Share of each phase's messages the IRC clients send (the rest come from the web)… */
  ircShare: number;
  /** …capped per IRC client: the public connect class allows about 1 command/s after a burst of 10. */
  ircMaxPerClientPerSecond: number;
  /** Chatters opened at once; the next batch opens when this one is connected to IRC. */
  batchSize: number;
  /** How long a batch may take to be connected to IRC. */
  connectTimeoutSeconds: number;
  /** Characters of each message text (sequence number and send time included). */
  textLength: number;
  /** When set, the gateway runs with --cpu-prof and writes its profile here. */
  gatewayCpuProfileDir: string | null;
};

/** startTestIrcd's InspIRCd takes 1,024 connections: one per chatter, per IRC client, and the gateway's reader. */
const IRCD_MAX_CONNECTIONS = 1_024;

/** The gateway allows 10 events per socket in 5 s: stay well under it. */
export const MAX_SENDS_PER_CHATTER_PER_SECOND = 1.5;

export const CHAT_FLAGS = [
  "--smoke                  a tiny run (20 chatters, 2 channels, 2 IRC clients, one 3 s phase at 10 msg/s) for CI",
  "--rates 10,100,1000      total messages per second of each phase (default 10,100,1000)",
  "--phase <s>              seconds each phase sends (default 10)",
  "--chatters <n>           web chatters, spread evenly over the channels (default 1000)",
  "--channels <n>           channels (default 50)",
  "--irc-clients <n>        IRC clients on the public port (default 20)",
  "--irc-share <fraction>   share of the messages sent from IRC, capped at 0.5 msg/s per IRC client (default 0.1)",
  "--gateway-cpu-prof <dir> run the gateway with --cpu-prof into <dir> and summarise where its CPU went",
];

/** The chat benchmark's options from its flags; throws on an unknown flag or an impossible load. */
export function parseChatOptions(args: string[]): ChatOptions {
  const rest = [...args];
  const isSmoke = takeFlag(rest, "--smoke");
  const integer = (name: string, fallback: number) => Math.round(takeNumber(rest, name, fallback));
  const options: ChatOptions = {
    isSmoke,
    chatters: integer("--chatters", isSmoke ? 20 : 1_000),
    channels: integer("--channels", isSmoke ? 2 : 50),
    ircClients: integer("--irc-clients", isSmoke ? 2 : 20),
    ratesPerSecond: takeIntegerList(rest, "--rates") ?? (isSmoke ? [10] : [10, 100, 1_000]),
    phaseSeconds: takeNumber(rest, "--phase", isSmoke ? 3 : 10),
    drainSeconds: isSmoke ? 3 : 5,
    settleSeconds: isSmoke ? 0.5 : 2,
    ircShare: takeNumber(rest, "--irc-share", 0.1),
    ircMaxPerClientPerSecond: 0.5,
    batchSize: 100,
    connectTimeoutSeconds: 30,
    textLength: 64,
    gatewayCpuProfileDir: takeOption(rest, "--gateway-cpu-prof") ?? null,
  };
  rejectLeftovers(rest);
  if (options.ircShare >= 1) throw new Error("--irc-share must be below 1");
  if (options.chatters < options.channels) throw new Error("--chatters must be at least --channels");
  if (options.chatters + options.ircClients + 1 > IRCD_MAX_CONNECTIONS) {
    throw new Error(
      `chatters + IRC clients must stay below ${IRCD_MAX_CONNECTIONS} (the test InspIRCd's connection limit)`,
    );
  }
  const busiest = Math.max(...options.ratesPerSecond) / options.chatters;
  if (busiest > MAX_SENDS_PER_CHATTER_PER_SECOND) {
    throw new Error(
      `${Math.max(...options.ratesPerSecond)} msg/s over ${options.chatters} chatters is more than ` +
        `${MAX_SENDS_PER_CHATTER_PER_SECOND} msg/s per socket (the gateway allows 10 events per 5 s): add chatters`,
    );
  }
  return options;
}

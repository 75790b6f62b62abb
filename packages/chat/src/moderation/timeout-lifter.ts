import { takeExpiredTimeouts, type Db } from "@relaycast/db";
import type { Logger } from "@relaycast/logger";
import { chatRestrictionMasks } from "../translate/ban-masks.ts";
import type { IrcOperator } from "./irc-operator.ts";

const SWEEP_INTERVAL_MS = 1_000;

/**
 * Lifts timeouts when they run out: every second, the expired ones are taken from the database
 * (each by one gateway) and their mute extbans removed on IRC. What ran out while no gateway was
 * running is lifted by the first sweep of the next one. Nothing is taken while IRC is away.
 */
export function startTimeoutLifter({ db, operator, log }: { db: Db; operator: IrcOperator; log: Logger }) {
  let isSweeping = false;
  async function sweep() {
    if (isSweeping || !operator.isConnected) return;
    isSweeping = true;
    try {
      for (const { channelName, userId, username } of await takeExpiredTimeouts(db)) {
        operator.setBans(channelName, "-", chatRestrictionMasks({ id: userId, username }, "timeout"));
        log.info({ channel: channelName, user: username }, "timeout ended");
      }
    } catch (error) {
      log.warn({ err: error }, "could not lift expired timeouts");
    } finally {
      isSweeping = false;
    }
  }
  const timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

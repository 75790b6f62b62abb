import type { Client } from "./irc-framework.ts";

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;
/** Spreads the reconnections of many connections after an IRC server restart. */
const MAX_JITTER_MS = 1_000;

/**
 * Reconnects an irc-framework client whenever its connection ends, until stopped, backing off
 * from 0.5 s to 5 s. irc-framework's own auto-reconnect gives up on a server that was down at
 * start or died within 5 s of registering; a chat gateway must not.
 */
export function keepConnected(client: Client): { stop(): void } {
  let attempts = 0;
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;
  client.on("registered", () => {
    attempts = 0;
  });
  client.on("close", () => {
    if (isStopped) return;
    const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempts++);
    timer = setTimeout(
      () => {
        if (!isStopped) client.connect();
      },
      backoff + Math.random() * MAX_JITTER_MS,
    );
  });
  return {
    stop() {
      isStopped = true;
      clearTimeout(timer);
    },
  };
}

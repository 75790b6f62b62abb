import type { Logger } from "pino";

/**
 * The life of a service process (media node, chat gateway): start it, or log why it could not and
 * exit 1; on SIGTERM or SIGINT stop it once, log it, and exit 0. `stop` must cope with a start
 * that failed half-way.
 */
export async function runService({
  name,
  log,
  start,
  stop,
}: {
  name: string;
  log: Logger;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}): Promise<void> {
  try {
    await start();
  } catch (error) {
    log.fatal({ err: error }, `${name} could not start`);
    await stop().catch(() => {});
    process.exit(1);
  }
  let isStopping = false;
  async function onSignal(signal: NodeJS.Signals) {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal }, `${name} stopping`);
    try {
      await stop();
    } catch (error) {
      log.error({ err: error }, `${name} did not stop cleanly`);
      process.exit(1);
    }
    log.info(`${name} stopped`);
    process.exit(0);
  }
  process.once("SIGTERM", (signal) => void onSignal(signal));
  process.once("SIGINT", (signal) => void onSignal(signal));
}

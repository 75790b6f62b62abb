import { pino, type DestinationStream, type Logger, type LevelWithSilent } from "pino";

export type { Logger };

/** Secrets are removed by the logger, wherever they appear in a logged object. */
const REDACTED_PATHS = [
  "password",
  "*.password",
  "streamKey",
  "*.streamKey",
  "key",
  "*.key",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authSecret",
  "*.authSecret",
  "databaseUrl",
  "*.databaseUrl",
  "headers.cookie",
  "*.headers.cookie",
  "headers.authorization",
  "*.headers.authorization",
];

export type LoggerOptions = { name: string; level: LevelWithSilent; destination?: DestinationStream };

/** The root logger of one process; components take `log.child({ component })`. */
export function createLogger({ name, level, destination }: LoggerOptions): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
  return destination ? pino(options, destination) : pino(options);
}
export { runService } from "./run-service.ts";
export { Health, type DependencyCheck, type ReadinessReport } from "./health.ts";

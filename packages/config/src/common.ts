import { z } from "zod";

export const ZLogLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info");

export const ZPort = z.coerce.number().int().min(1).max(65535);

export const ZPostgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL");

export const ZRedisUrl = z.string().regex(/^rediss?:\/\//, "must be a redis:// URL");

/** Prefixes the cluster registry's keys in Redis: clusters (or test runs) sharing one Redis stay apart. */
export const ZRegistryPrefix = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
  .default("relaycast:");

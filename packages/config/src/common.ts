import { z } from "zod";

export const ZLogLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info");

export const ZPort = z.coerce.number().int().min(1).max(65535);

export const ZPostgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL");

export const ZRedisUrl = z.string().regex(/^rediss?:\/\//, "must be a redis:// URL");

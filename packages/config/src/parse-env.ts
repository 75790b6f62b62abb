import type { z } from "zod";

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** Parses a process's environment with its schema; throws one ConfigError naming every bad variable. */
export function parseEnv<TSchema extends z.ZodType>(
  schema: TSchema,
  env: Env,
  processName: string,
): z.output<TSchema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration for ${processName}:\n${problems.join("\n")}`);
}

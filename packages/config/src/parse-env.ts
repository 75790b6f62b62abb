import type { z } from "zod";

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/**
 * Parses a process's environment with its schema; throws one ConfigError naming every bad variable.
 * A variable set to the empty string counts as unset (`SMTP_URL=` in an env file, a compose
 * `NAME:` with nothing after it).
 */
export function parseEnv<TSchema extends z.ZodType>(
  schema: TSchema,
  env: Env,
  processName: string,
): z.output<TSchema> {
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration for ${processName}:\n${problems.join("\n")}`);
}

import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id baseline: 19 MiB of memory, 2 passes, 1 lane (argon2id is the library's default). */
const ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export function verifyPassword({
  hash: encoded,
  password,
}: {
  hash: string;
  password: string;
}): Promise<boolean> {
  return verify(encoded, password);
}

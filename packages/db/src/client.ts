import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

/** Secrets stay out of every query result unless a query opts back in. */
const OMIT_SECRETS = {
  account: { password: true },
  streamKey: { keyHash: true },
  ircToken: { tokenHash: true },
} as const;

export function createDb(databaseUrl: string) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }), omit: OMIT_SECRETS });
}

export type Db = ReturnType<typeof createDb>;

/** A client without the secret-omitting defaults, for the auth library that reads password hashes itself. */
export function createAuthDb(databaseUrl: string) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

export type AuthDb = ReturnType<typeof createAuthDb>;

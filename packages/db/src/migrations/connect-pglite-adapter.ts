import type { PGlite } from "@electric-sql/pglite";
import { DriverAdapterError, type SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * A Prisma driver adapter over `db` for the schema engine. pglite-prisma-adapter 0.7.2's `executeScript`
 * neither awaits the script nor reports its failure, so a broken migration replayed into the shadow
 * database went unnoticed; this one awaits it and reports a failure as a Postgres error.
 */
export async function connectPgliteAdapter(db: PGlite): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(db).connect();
  adapter.executeScript = async (script: string) => {
    try {
      await db.exec(script);
    } catch (error) {
      const { code, severity, message, detail, column, hint } = error as Record<string, string | undefined>;
      throw new DriverAdapterError({
        kind: "postgres",
        code: code ?? "",
        severity: severity ?? "ERROR",
        message: message ?? String(error),
        detail,
        column,
        hint,
      });
    }
  };
  return adapter;
}

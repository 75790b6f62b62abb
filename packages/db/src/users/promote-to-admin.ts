import type { Db } from "../client.ts";

/** Makes an existing account a site admin; null when there is no such username. */
export async function promoteToAdmin(db: Db, { username }: { username: string }) {
  const user = await db.user.findUnique({
    where: { username: username.toLowerCase() },
    select: { id: true },
  });
  if (!user) return null;
  return db.user.update({
    where: { id: user.id },
    data: { role: "admin" },
    select: { username: true, role: true },
  });
}

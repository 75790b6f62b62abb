import { findChatUser } from "@relaycast/db";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { suspend, unsuspend } from "@/features/admin/admin-service.ts";
import { requireAdmin } from "@/features/admin/require-admin.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";

const ZSuspension = z.object({ reason: z.string().trim().max(300).optional() });

async function accountOf(username: string) {
  const user = await findChatUser(getDb(), { username });
  if (!user) throw new AppError("NOT_FOUND", `There is no user named ${username}.`);
  return user;
}

/** PUT /api/v1/admin/users/<username>/suspension `{ reason? }`: suspends the account. Admins only. */
export const PUT = apiRoute(
  async (request: NextRequest, { params }: RouteContext<"/api/v1/admin/users/[username]/suspension">) => {
    const admin = await requireAdmin();
    const { username } = await params;
    const body = ZSuspension.safeParse(await request.json().catch(() => ({})));
    const text = await suspend(
      admin,
      (await accountOf(username)).id,
      body.success ? (body.data.reason ?? null) : null,
    );
    return Response.json({ text });
  },
);

/** DELETE /api/v1/admin/users/<username>/suspension: lifts it. Admins only. */
export const DELETE = apiRoute(
  async (_request: NextRequest, { params }: RouteContext<"/api/v1/admin/users/[username]/suspension">) => {
    const admin = await requireAdmin();
    const { username } = await params;
    return Response.json({ text: await unsuspend(admin, (await accountOf(username)).id) });
  },
);

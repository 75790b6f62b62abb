import type { NextRequest } from "next/server";
import { findAccounts } from "@/features/admin/admin-queries.ts";
import { requireAdmin } from "@/features/admin/require-admin.ts";
import { apiRoute } from "@/lib/app-error.ts";

/** GET /api/v1/admin/users?q=<prefix>: accounts by username or email prefix. Admins only (403). */
export const GET = apiRoute(async (request: NextRequest) => {
  await requireAdmin();
  const accounts = await findAccounts((request.nextUrl.searchParams.get("q") ?? "").slice(0, 100));
  return Response.json({ users: accounts }, { headers: { "cache-control": "no-store" } });
});

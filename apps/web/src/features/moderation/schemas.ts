import { z } from "zod";

export const AUDIT_ACTIONS = [
  "message_delete",
  "timeout",
  "untimeout",
  "ban",
  "unban",
  "kick",
  "slow_mode",
  "chat_clear",
  "moderator_add",
  "moderator_remove",
  "stream_stop",
  "account_suspend",
  "account_unsuspend",
  "recording_delete",
  "blocked_terms",
] as const;

/** The audit log's filters and page, from a query string. */
export const ZAuditLogQuery = z.object({
  actor: z
    .string()
    .regex(/^[a-z0-9_]{3,25}$/)
    .optional()
    .catch(undefined),
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  before: z.uuid().optional().catch(undefined),
});
export type TAuditLogQuery = z.infer<typeof ZAuditLogQuery>;

export const AUDIT_PAGE_SIZE = 50;

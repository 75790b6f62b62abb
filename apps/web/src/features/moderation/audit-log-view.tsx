import Link from "next/link";
import { AuditLogTable } from "./audit-log-table.tsx";
import { auditLogPage } from "./moderation-queries.ts";
import { AUDIT_ACTIONS, type TAuditLogQuery } from "./schemas.ts";

/** The audit log with its filters (actor, action) and pages; a channel's own, or the whole site's. */
export async function AuditLogView({
  path,
  query,
  channelId,
}: {
  /** The page's own path, for its filter form and page links. */
  path: string;
  query: TAuditLogQuery;
  /** Only this channel's acts; the whole site's when absent. */
  channelId?: string;
}) {
  const page = await auditLogPage(query, channelId);
  const filters = {
    ...(query.actor && { actor: query.actor }),
    ...(query.action && { action: query.action }),
  };
  return (
    <>
      <form method="get" action={path} className="inline-form" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-actor">Who</label>
          <input id="audit-actor" name="actor" defaultValue={query.actor ?? ""} placeholder="username" />
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={query.action ?? ""}>
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action.replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <AuditLogTable rows={page.actions} showChannel={channelId === undefined} />
      <nav className="pager" aria-label="Audit log pages">
        {query.before && <Link href={`${path}?${new URLSearchParams(filters)}`}>Newest</Link>}
        {page.nextBefore && (
          <Link href={`${path}?${new URLSearchParams({ ...filters, before: page.nextBefore })}`}>Older</Link>
        )}
      </nav>
    </>
  );
}

import { CHAT_BLOCKED_TERMS_MAX } from "@relaycast/chat/protocol";
import Link from "next/link";
import { Field } from "@/components/field.tsx";
import { AuditLogTable } from "./audit-log-table.tsx";
import { ActionForm } from "@/components/action-form.tsx";
import { dismissReportAction, moderateOwnChannelAction } from "./actions.ts";
import { ReportList } from "./report-list.tsx";
import { channelModeration } from "./moderation-queries.ts";

/** The owner's chat moderation: moderators, banned and timed-out users, slow mode, the last acts. */
export async function ChatModerationPanel({ channel }: { channel: { id: string; name: string } }) {
  const { moderators, restrictions, reports, recentActions, slowSeconds, blockedTerms } =
    await channelModeration(channel);
  return (
    <section className="card" aria-labelledby="chat-moderation-heading">
      <h2 id="chat-moderation-heading">Chat moderation</h2>
      <h3>Reports</h3>
      <ReportList
        reports={reports}
        showChannel={false}
        actions={(report) => (
          <>
            <ActionForm
              action={moderateOwnChannelAction}
              label={`Delete the reported message from ${report.messageNick}`}
              submit="Delete message"
              buttonClassName="danger"
            >
              <input type="hidden" name="type" value="delete" />
              <input type="hidden" name="messageId" value={report.msgid} />
            </ActionForm>
            <ActionForm
              action={dismissReportAction}
              label={`Close the report on ${report.messageNick}`}
              submit="Close"
            >
              <input type="hidden" name="reportId" value={report.id} />
            </ActionForm>
          </>
        )}
      />

      <h3>Moderators</h3>
      {moderators.length === 0 ? (
        <p className="muted">
          No moderators yet. They can delete messages, time out and ban, in your chat only.
        </p>
      ) : (
        <ul className="plain-list" data-testid="moderators">
          {moderators.map(({ username }) => (
            <li key={username}>
              <strong>{username}</strong>
              <ActionForm
                action={moderateOwnChannelAction}
                label={`Remove ${username} as moderator`}
                submit="Remove"
              >
                <input type="hidden" name="type" value="unmod" />
                <input type="hidden" name="username" value={username} />
              </ActionForm>
            </li>
          ))}
        </ul>
      )}
      <ActionForm action={moderateOwnChannelAction} label="Appoint a moderator" submit="Make moderator">
        <input type="hidden" name="type" value="mod" />
        <Field name="username" label="Username" maxLength={25} required autoComplete="off" />
      </ActionForm>

      <h3>Banned and timed out</h3>
      {restrictions.length === 0 ? (
        <p className="muted">Nobody is banned or timed out.</p>
      ) : (
        <ul className="plain-list" data-testid="restrictions">
          {restrictions.map((restriction) => (
            <li key={restriction.username}>
              <strong>{restriction.username}</strong>{" "}
              {restriction.kind === "ban"
                ? "banned"
                : `timed out until ${restriction.expiresAt!.toLocaleTimeString("en-GB")}`}
              {restriction.by && ` by ${restriction.by}`}
              {restriction.reason && `: ${restriction.reason}`}
              <ActionForm
                action={moderateOwnChannelAction}
                label={`${restriction.kind === "ban" ? "Unban" : "Lift the timeout of"} ${restriction.username}`}
                submit={restriction.kind === "ban" ? "Unban" : "Lift timeout"}
              >
                <input type="hidden" name="type" value={restriction.kind === "ban" ? "unban" : "untimeout"} />
                <input type="hidden" name="username" value={restriction.username} />
              </ActionForm>
            </li>
          ))}
        </ul>
      )}

      <h3>Slow mode</h3>
      <ActionForm action={moderateOwnChannelAction} label="Slow mode" submit="Save slow mode">
        <input type="hidden" name="type" value="slow" />
        <Field
          name="seconds"
          label="Seconds between two messages"
          type="number"
          min={0}
          max={3600}
          defaultValue={slowSeconds}
          hint="0 turns it off. Moderators are exempt."
        />
      </ActionForm>

      <h3>Blocked terms</h3>
      <ActionForm
        action={moderateOwnChannelAction}
        label="Blocked terms"
        submit="Save blocked terms"
        className="form"
      >
        <input type="hidden" name="type" value="terms" />
        <div className="field">
          <label htmlFor="blocked-terms">
            One word or phrase per line; * stands for any letters within a word
          </label>
          <textarea
            id="blocked-terms"
            name="terms"
            rows={4}
            defaultValue={blockedTerms.join("\n")}
            aria-describedby="blocked-terms-hint"
          />
          <p id="blocked-terms-hint" className="hint">
            A message with one of them is held back and shown to you and your moderators only. Up to{" "}
            {CHAT_BLOCKED_TERMS_MAX}.
          </p>
        </div>
      </ActionForm>

      <h3>Recent actions</h3>
      <AuditLogTable rows={recentActions} showChannel={false} />
      <p>
        <Link href="/dashboard/audit-log">The whole audit log</Link>
      </p>
    </section>
  );
}

"use client";

import { useActionState, useState } from "react";
import { CopyableValue } from "@/components/copyable-value.tsx";
import { Field } from "@/components/field.tsx";
import {
  issueIrcTokenAction,
  revokeIrcTokenAction,
  type TIssueIrcTokenState,
  type TRevokeIrcTokenState,
} from "./actions.ts";
import { irssiCommands, weechatCommands } from "./irc-client-settings.ts";
import type { TIrcTokenRow } from "./queries.ts";
import { MAX_IRC_TOKEN_LABEL_LENGTH } from "./schemas.ts";

type IrcPanelProps = {
  /** The host the user browses: the IRC server runs beside the site. */
  host: string;
  /** The TLS port, shown first and used in the client commands. */
  tlsPort: number;
  /** The plain-text port, for local use. */
  port: number;
  /** Their username: IRC nick and channel name. */
  nick: string;
  tokens: TIrcTokenRow[];
};

/** The dashboard's IRC section: tokens to log in from an IRC client, and how to set the client up. */
export function IrcPanel({ host, tlsPort, port, nick, tokens }: IrcPanelProps) {
  const [state, issue, isIssuing] = useActionState<TIssueIrcTokenState, FormData>(issueIrcTokenAction, {});
  const issuedToken = state.issued?.token ?? null;
  const settings = { host, port: tlsPort, isTls: true, nick, token: issuedToken ?? "<token>" };
  const irssi = irssiCommands(settings);

  return (
    <section className="card" aria-labelledby="irc-heading">
      <h2 id="irc-heading">IRC</h2>
      <p>
        Every channel&apos;s chat is also an IRC channel. Connect any IRC client as <strong>{nick}</strong>,
        with an IRC token as the server password, and join <code>#{nick}</code> or any{" "}
        <code>#&lt;channel&gt;</code>.
      </p>
      <dl className="settings-list">
        <dt>Server</dt>
        <dd>
          <code>{host}</code>
        </dd>
        <dt>Port</dt>
        <dd>
          <code>{tlsPort}</code> (TLS)
        </dd>
        <dt>Plain-text port</dt>
        <dd>
          <code>{port}</code>, for a client on this machine only: anyone on the way can read your token there
        </dd>
        <dt>Nick</dt>
        <dd>
          <code>{nick}</code>
        </dd>
        <dt>Server password</dt>
        <dd>{issuedToken ? "the IRC token below" : "an IRC token (issue one below)"}</dd>
      </dl>

      {issuedToken && (
        <>
          <CopyableValue key={issuedToken} label="IRC token" value={issuedToken} isSecret />
          <p className="notice" role="status">
            Copy this token now: Relaycast keeps only a hash of it and cannot show it again. Anyone with it
            can chat as you; revoke it below if it leaks.
          </p>
        </>
      )}
      <form action={issue} className="inline-form" aria-label="Issue an IRC token">
        <Field
          name="label"
          label="Label (optional)"
          placeholder="e.g. laptop irssi"
          maxLength={MAX_IRC_TOKEN_LABEL_LENGTH}
          error={state.error}
        />
        <button type="submit" disabled={isIssuing}>
          Issue IRC token
        </button>
      </form>

      <IrcTokenList tokens={tokens} />

      <details className="irc-client">
        <summary>irssi</summary>
        <p>Connect once:</p>
        <pre className="commands">
          <code>{irssi.quick}</code>
        </pre>
        <p>Or save the network, so irssi connects by itself from now on:</p>
        <pre className="commands">
          <code>{irssi.saved.join("\n")}</code>
        </pre>
        <p>
          Then <code>/join #{nick}</code>.
        </p>
      </details>
      <details className="irc-client">
        <summary>WeeChat</summary>
        <pre className="commands">
          <code>{weechatCommands(settings).join("\n")}</code>
        </pre>
        <p>
          Then <code>/join #{nick}</code>. WeeChat before 4.0 does not know <code>-notls</code>: leave it out.
        </p>
      </details>
      <p className="muted">
        A server installed with <code>npm start</code> has a self-signed certificate: tell your client not to
        verify it (irssi and WeeChat: <code>-notls_verify</code>), or have the operator set a real one.
      </p>
      <p className="muted">
        Without a token you can still read any chat as a guest: connect with no password and a nick that
        starts with <code>guest-</code> (for example <code>guest-4821</code>).
      </p>
    </section>
  );
}

function IrcTokenList({ tokens }: { tokens: TIrcTokenRow[] }) {
  if (tokens.length === 0) return <p className="muted">You have no IRC tokens.</p>;
  return (
    <div className="table-scroll">
      <table className="token-table">
        <caption className="visually-hidden">Your IRC tokens</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <IrcTokenRow key={token.id} token={token} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function IrcTokenRow({ token }: { token: TIrcTokenRow }) {
  const [state, revoke, isRevoking] = useActionState<TRevokeIrcTokenState, FormData>(
    revokeIrcTokenAction,
    {},
  );
  const [isConfirming, setIsConfirming] = useState(false);
  const name = token.label ?? "unlabelled token";
  return (
    <tr data-testid="irc-token-row" data-token-id={token.id}>
      <td>{token.label ?? <span className="muted">no label</span>}</td>
      <td>
        <LocalTime iso={token.createdAt} />
      </td>
      <td>
        {token.lastUsedAt ? <LocalTime iso={token.lastUsedAt} /> : <span className="muted">never</span>}
      </td>
      <td>
        {isConfirming ? (
          <form action={revoke} className="confirm-inline">
            <input type="hidden" name="tokenId" value={token.id} />
            <button type="submit" className="danger" disabled={isRevoking} aria-label={`Yes, revoke ${name}`}>
              Yes, revoke
            </button>
            <button type="button" className="secondary" onClick={() => setIsConfirming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button
            type="button"
            className="secondary"
            onClick={() => setIsConfirming(true)}
            aria-label={`Revoke ${name}`}
          >
            Revoke
          </button>
        )}
        {state.error && (
          <p role="alert" className="error">
            {state.error}
          </p>
        )}
      </td>
    </tr>
  );
}

function LocalTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {new Date(iso).toLocaleString()}
    </time>
  );
}

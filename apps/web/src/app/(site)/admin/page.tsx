import type { Metadata } from "next";
import Link from "next/link";
import { AdminActionForm } from "@/features/admin/admin-action-form.tsx";
import {
  findAccounts,
  latestVideos,
  liveOverview,
  openReports,
  siteChatBans,
} from "@/features/admin/admin-queries.ts";
import { ReportList } from "@/features/moderation/report-list.tsx";
import { requireAdminPage } from "@/features/admin/require-admin.ts";

export const metadata: Metadata = { title: "Admin" };

/**
 * The site admin's dashboard: live streams, accounts, site-wide chat bans, the latest videos, the
 * cluster's nodes, and the audit log.
 */
export default async function AdminPage({ searchParams }: PageProps<"/admin">) {
  const admin = await requireAdminPage();
  const { q } = await searchParams;
  const query = typeof q === "string" ? q.slice(0, 100) : "";
  const [accounts, { streams, nodes }, bans, videos, reports] = await Promise.all([
    findAccounts(query),
    liveOverview(),
    siteChatBans(),
    latestVideos(),
    openReports(),
  ]);
  return (
    <div className="page admin">
      <h1>Admin</h1>
      <p>
        <Link href="/admin/audit-log">Audit log</Link>
      </p>

      <section className="card" aria-labelledby="admin-streams-heading">
        <h2 id="admin-streams-heading">Live streams</h2>
        {streams.length === 0 ? (
          <p className="muted">Nobody is live.</p>
        ) : (
          <table className="admin-table" data-testid="admin-streams">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Origin</th>
                <th scope="col">Viewers</th>
                <th scope="col">Bitrate</th>
                <th scope="col">Uptime</th>
                <th scope="col">Stop</th>
              </tr>
            </thead>
            <tbody>
              {streams.map((stream) => (
                <tr key={stream.channel} data-channel={stream.channel}>
                  <td>
                    <Link href={`/${stream.channel}`}>{stream.channel}</Link>
                    {stream.state === "reconnecting" && " (reconnecting)"}
                  </td>
                  <td>{stream.originNode}</td>
                  <td>{stream.viewers.total}</td>
                  <td>{Math.round(stream.health.ingestKbps)} kb/s</td>
                  <td>{formatUptime(stream.uptimeSeconds)}</td>
                  <td>
                    <AdminActionForm
                      act="stop"
                      label={`Stop the stream of ${stream.channel}`}
                      submit="Stop stream"
                      fields={{ channel: stream.channel }}
                      withReason
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="admin-users-heading">
        <h2 id="admin-users-heading">Users</h2>
        <form method="get" action="/admin" className="inline-form" aria-label="Search users">
          <div className="field">
            <label htmlFor="admin-user-search">Username or email</label>
            <input id="admin-user-search" name="q" defaultValue={query} maxLength={100} />
          </div>
          <button type="submit">Search</button>
        </form>
        <table className="admin-table" data-testid="admin-users">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => (
              <tr key={account.id} data-username={account.username}>
                <td>
                  <Link href={`/${account.username}`}>{account.username}</Link>
                </td>
                <td>{account.email}</td>
                <td>{account.role}</td>
                <td>{account.createdAt.toLocaleDateString("en-GB")}</td>
                <td>
                  {account.suspended ? "suspended " : ""}
                  {account.id !== admin.id &&
                    (account.suspended ? (
                      <AdminActionForm
                        act="unsuspend"
                        label={`Unsuspend ${account.username}`}
                        submit="Unsuspend"
                        fields={{ userId: account.id }}
                      />
                    ) : (
                      <AdminActionForm
                        act="suspend"
                        label={`Suspend ${account.username}`}
                        submit="Suspend"
                        fields={{ userId: account.id }}
                        withReason
                      />
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="admin-reports-heading">
        <h2 id="admin-reports-heading">Reported messages</h2>
        <ReportList
          reports={reports}
          showChannel
          actions={(report) => (
            <>
              <AdminActionForm
                act="delete-reported-line"
                label={`Delete the reported message from ${report.messageNick}`}
                submit="Delete message"
                fields={{ channel: report.channelName, messageId: report.msgid }}
              />
              <AdminActionForm
                act="close-report"
                label={`Close the report on ${report.messageNick}`}
                submit="Close"
                fields={{ reportId: report.id }}
              />
            </>
          )}
        />
      </section>

      <section className="card" aria-labelledby="admin-bans-heading">
        <h2 id="admin-bans-heading">Banned from every chat</h2>
        <AdminActionForm
          act="ban-everywhere"
          label="Ban from every chat"
          submit="Ban from every chat"
          fields={{}}
          withUsername
          withReason
        />
        {bans.length === 0 ? (
          <p className="muted">Nobody is banned from every chat.</p>
        ) : (
          <ul className="plain-list" data-testid="admin-site-bans">
            {bans.map((ban) => (
              <li key={ban.username}>
                <strong>{ban.username}</strong>
                {ban.by && ` by ${ban.by}`}
                {ban.reason && `: ${ban.reason}`}
                <AdminActionForm
                  act="lift-site-ban"
                  label={`Lift the site-wide ban of ${ban.username}`}
                  submit="Lift"
                  fields={{ username: ban.username }}
                />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="admin-videos-heading">
        <h2 id="admin-videos-heading">Latest videos</h2>
        {videos.length === 0 ? (
          <p className="muted">No videos yet.</p>
        ) : (
          <table className="admin-table" data-testid="admin-videos">
            <thead>
              <tr>
                <th scope="col">Video</th>
                <th scope="col">Channel</th>
                <th scope="col">Recorded</th>
                <th scope="col">Status</th>
                <th scope="col">Delete</th>
              </tr>
            </thead>
            <tbody>
              {videos.map((video) => (
                <tr key={video.id} data-video={video.id}>
                  <td>
                    <Link href={`/videos/${video.id}`}>{video.title || "Untitled broadcast"}</Link>
                  </td>
                  <td>{video.broadcast.channel.name}</td>
                  <td>{video.broadcast.startedAt.toLocaleString("en-GB")}</td>
                  <td>{video.status}</td>
                  <td>
                    {(video.status === "ready" || video.status === "interrupted") && (
                      <AdminActionForm
                        act="delete-video"
                        label={`Delete the video ${video.id}`}
                        submit="Delete"
                        fields={{ videoId: video.id }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="admin-nodes-heading">
        <h2 id="admin-nodes-heading">Media nodes</h2>
        {nodes === null ? (
          <p className="muted">One media node, as configured (no cluster registry).</p>
        ) : (
          <table className="admin-table" data-testid="admin-nodes">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Role</th>
                <th scope="col">CPU</th>
                <th scope="col">Streams</th>
                <th scope="col">Viewers</th>
                <th scope="col">Egress</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((node) => (
                <tr key={node.id}>
                  <td>{node.id}</td>
                  <td>{node.role}</td>
                  <td>{node.load.cpu.toFixed(2)} cores</td>
                  <td>{node.channels.length}</td>
                  <td>
                    {node.load.viewers} / {node.capacity.viewers}
                  </td>
                  <td>
                    {node.load.egressMbps.toFixed(1)} / {node.capacity.mbps} Mb/s
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function formatUptime(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${seconds % 60} s`;
}

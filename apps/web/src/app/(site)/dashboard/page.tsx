import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { requireViewer } from "@/features/auth/session.ts";
import { getDashboardChannel } from "@/features/channels/queries.ts";
import { TitleForm } from "@/features/channels/title-form.tsx";
import { directBroadcaster } from "@/features/cluster/director.ts";
import { nodeSourceFor } from "@/features/cluster/media-nodes.ts";
import { readNewStreamKeyFlash } from "@/features/stream-keys/new-stream-key-flash.ts";
import { StreamKeyPanel } from "@/features/stream-keys/stream-key-panel.tsx";
import { getStreamStatus } from "@/features/live/media-api.ts";
import { StreamHealthPanel } from "@/features/stream-health/stream-health-panel.tsx";
import { IrcPanel } from "@/features/irc-tokens/irc-panel.tsx";
import { getIrcTokenRows } from "@/features/irc-tokens/queries.ts";
import { browsedHostname } from "@/lib/browsed-host.ts";
import { getConfig } from "@/lib/config.ts";
import { formatBytes } from "@/lib/format-bytes.ts";
import { RetentionForm } from "@/features/videos/retention-form.tsx";
import { archiveSummary } from "@/features/videos/video-queries.ts";
import { ChatModerationPanel } from "@/features/moderation/chat-moderation-panel.tsx";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const viewer = await requireViewer("/dashboard");
  const channel = await getDashboardChannel({ ownerId: viewer.id });
  if (!channel) throw new Error(`account ${viewer.id} has no channel`);
  const hostHeader = (await headers()).get("host");
  const ingest = await directBroadcaster(nodeSourceFor(hostHeader), getConfig().rtmpIngestUrl);
  const [ircTokens, archive] = await Promise.all([
    getIrcTokenRows({ userId: viewer.id }),
    archiveSummary(channel),
  ]);
  const status =
    channel.liveState === "offline"
      ? null
      : ((await getStreamStatus({ channelName: channel.name }))?.status ?? null);
  return (
    <div className="page dashboard">
      <h1>Dashboard</h1>
      <p className="muted">
        Your channel: <Link href={`/${channel.name}`}>/{channel.name}</Link> · {channel.liveState}
      </p>
      <StreamHealthPanel initial={status ? { isLive: true, status } : { isLive: false }} />
      <section className="card" aria-labelledby="channel-heading">
        <h2 id="channel-heading">Channel</h2>
        <TitleForm title={channel.title} />
      </section>
      <section className="card" aria-labelledby="videos-heading">
        <h2 id="videos-heading">Videos</h2>
        {archive.recordingFailure && (
          <p className="error" role="alert">
            {archive.recordingFailure}
          </p>
        )}
        <p>
          Every broadcast is recorded: <Link href={`/${channel.name}/videos`}>your videos</Link> take{" "}
          {formatBytes(archive.bytes)}.
        </p>
        <RetentionForm retentionDays={channel.retentionDays} />
      </section>
      <StreamKeyPanel
        ingestUrl={ingest?.rtmpUrl ?? null}
        newStreamKey={await readNewStreamKeyFlash()}
        activeKeyCreatedAt={channel.activeKeyCreatedAt?.toISOString() ?? null}
      />
      <ChatModerationPanel channel={channel} />
      <IrcPanel
        host={getConfig().ircHost ?? browsedHostname(hostHeader)}
        tlsPort={getConfig().ircTlsPort}
        port={getConfig().ircPort}
        nick={viewer.username}
        tokens={ircTokens}
      />
    </div>
  );
}

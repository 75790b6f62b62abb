import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getChannelByName } from "@relaycast/db";
import { VideoList } from "@/features/videos/video-list.tsx";
import { getViewer } from "@/features/auth/session.ts";
import { archiveSummary, channelVideos } from "@/features/videos/video-queries.ts";
import { formatBytes } from "@/lib/format-bytes.ts";
import { getDb } from "@/lib/db.ts";

type ChannelVideosProps = { params: Promise<{ channel: string }> };

export async function generateMetadata({ params }: ChannelVideosProps): Promise<Metadata> {
  return { title: `Videos of ${(await params).channel}` };
}

/** /<channel>/videos: every recorded broadcast of the channel, newest first. */
export default async function ChannelVideosPage({ params }: ChannelVideosProps) {
  const channel = await getChannelByName(getDb(), { name: (await params).channel });
  if (!channel) notFound();
  const [videos, viewer] = await Promise.all([
    channelVideos(channel.name, (await headers()).get("host")),
    getViewer(),
  ]);
  const displayName = channel.owner.displayUsername ?? channel.name;
  // The archive's disk use is for the channel's owner and admins.
  const canSeeUsage = viewer?.username.toLowerCase() === channel.name || viewer?.role === "admin";
  const usage = canSeeUsage ? await archiveSummary(channel) : null;
  return (
    <div className="page">
      <h1>Videos of {displayName}</h1>
      <p>
        <Link href={`/${channel.name}`}>Back to the channel</Link>
      </p>
      {usage && <p className="muted">These videos take {formatBytes(usage.bytes)}.</p>}
      <VideoList videos={videos} channelName={displayName} />
    </div>
  );
}

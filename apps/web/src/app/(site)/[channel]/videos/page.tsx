import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getChannelByName } from "@relaycast/db";
import { VideoList } from "@/features/videos/video-list.tsx";
import { channelVideos } from "@/features/videos/video-queries.ts";
import { getDb } from "@/lib/db.ts";

type ChannelVideosProps = { params: Promise<{ channel: string }> };

export async function generateMetadata({ params }: ChannelVideosProps): Promise<Metadata> {
  return { title: `Videos of ${(await params).channel}` };
}

/** /<channel>/videos: every recorded broadcast of the channel, newest first. */
export default async function ChannelVideosPage({ params }: ChannelVideosProps) {
  const channel = await getChannelByName(getDb(), { name: (await params).channel });
  if (!channel) notFound();
  const videos = await channelVideos(channel.name, (await headers()).get("host"));
  const displayName = channel.owner.displayUsername ?? channel.name;
  return (
    <div className="page">
      <h1>Videos of {displayName}</h1>
      <p>
        <Link href={`/${channel.name}`}>Back to the channel</Link>
      </p>
      <VideoList videos={videos} channelName={displayName} />
    </div>
  );
}

import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getViewer } from "@/features/auth/session.ts";
import { pollChannelStatus } from "@/features/live/api-queries.ts";
import { ChannelLiveView } from "@/features/live/channel-live-view.tsx";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";
import { latestVideo } from "@/features/videos/video-queries.ts";

type ChannelPageProps = { params: Promise<{ channel: string }> };

async function loadChannel(params: ChannelPageProps["params"]) {
  const mediaPublicUrl = mediaPublicUrlFor((await headers()).get("host"));
  return pollChannelStatus((await params).channel, mediaPublicUrl);
}

export async function generateMetadata({ params }: ChannelPageProps): Promise<Metadata> {
  const channel = await loadChannel(params);
  return { title: channel ? channel.displayName : "Channel not found" };
}

export default async function ChannelPage({ params }: ChannelPageProps) {
  const channel = await loadChannel(params);
  if (!channel) notFound();
  const [viewer, latest] = await Promise.all([
    getViewer(),
    latestVideo(channel.name, (await headers()).get("host")),
  ]);
  return (
    <div className="page channel">
      <ChannelLiveView
        initial={channel}
        viewerUsername={viewer?.username ?? null}
        latestVideo={latest && { id: latest.id, title: latest.title }}
      />
    </div>
  );
}

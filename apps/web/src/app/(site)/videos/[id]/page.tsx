import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getViewer } from "@/features/auth/session.ts";
import { formatUptime } from "@/features/stream-health/format-health.ts";
import { VideoOwnerTools } from "@/features/videos/video-owner-tools.tsx";
import { videoById } from "@/features/videos/video-queries.ts";
import { VodPlayerLoader } from "@/features/videos/vod-player-loader.tsx";

type VideoPageProps = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ t?: string | string[] }>;
};

async function loadVideo(params: VideoPageProps["params"]) {
  return videoById((await params).id, (await headers()).get("host"));
}

export async function generateMetadata({ params }: VideoPageProps): Promise<Metadata> {
  const video = await loadVideo(params);
  return { title: video ? video.title || `${video.channel}'s broadcast` : "Video not found" };
}

/** `?t=90`, `?t=1m30s` or `?t=1h2m3s`: where a shared link starts; 0 when absent or unreadable. */
function startSeconds(t: string | string[] | undefined): number {
  const value = Array.isArray(t) ? t[0] : t;
  if (!value) return 0;
  if (/^\d+$/.test(value)) return Number(value);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  return match ? Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) : 0;
}

/** /videos/<id>: a recorded broadcast, with seeking and a shareable start time. */
export default async function VideoPage({ params, searchParams }: VideoPageProps) {
  const video = await loadVideo(params);
  if (!video) notFound();
  const viewer = await getViewer();
  const isOwner = viewer?.username.toLowerCase() === video.channel;
  const isFinished = video.status === "ready" || video.status === "interrupted";
  return (
    <div className="page channel">
      <VodPlayerLoader
        src={video.playbackUrl}
        startSeconds={startSeconds((await searchParams).t)}
        label={`${video.channel}'s broadcast`}
      />
      <div className="channel-info">
        <h1>{video.title || "Untitled broadcast"}</h1>
        {video.status === "recording" && <span className="badge">Live now</span>}
        {video.status === "interrupted" && <span className="badge">Interrupted</span>}
      </div>
      <p className="muted">
        <Link href={`/${video.channel}`}>{video.channel}</Link> ·{" "}
        <time dateTime={video.startedAt} suppressHydrationWarning>
          {new Date(video.startedAt).toLocaleString()}
        </time>
        {video.durationSeconds !== null && ` · ${formatUptime(Math.round(video.durationSeconds))}`} ·{" "}
        <Link href={`/${video.channel}/videos`}>More videos</Link>
      </p>
      {isFinished && (isOwner || viewer?.role === "admin") && (
        <VideoOwnerTools videoId={video.id} channel={video.channel} title={video.title} canRename={isOwner} />
      )}
    </div>
  );
}

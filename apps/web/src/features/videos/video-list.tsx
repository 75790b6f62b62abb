import Link from "next/link";
import { formatUptime } from "../stream-health/format-health.ts";
import type { TVideo } from "./video.ts";

const STATUS_LABEL: Record<TVideo["status"], string | null> = {
  recording: "Live now",
  processing: "Processing",
  ready: null,
  interrupted: "Interrupted",
};

/** A channel's past broadcasts: thumbnail, the title at the time, date and duration. */
export function VideoList({ videos, channelName }: { videos: TVideo[]; channelName: string }) {
  if (videos.length === 0) {
    return (
      <div className="card empty">
        <p>No videos yet.</p>
        <p className="muted">Every broadcast of {channelName} is recorded and shows up here.</p>
      </div>
    );
  }
  return (
    <ul className="directory" aria-label={`Videos of ${channelName}`}>
      {videos.map((video) => (
        <li key={video.id} className="card channel-card">
          <Link href={`/videos/${video.id}`}>
            <div className="thumbnail">
              {video.thumbnailUrl && (
                // A frame from the recording, served by the media node: a plain <img>.
                <img src={video.thumbnailUrl} alt="" width={640} height={360} />
              )}
              {STATUS_LABEL[video.status] && <span className="badge">{STATUS_LABEL[video.status]}</span>}
            </div>
            <strong>{video.title || "Untitled broadcast"}</strong>
            <span className="muted">
              <time dateTime={video.startedAt} suppressHydrationWarning>
                {new Date(video.startedAt).toLocaleString()}
              </time>
              {video.durationSeconds !== null && ` · ${formatUptime(Math.round(video.durationSeconds))}`}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

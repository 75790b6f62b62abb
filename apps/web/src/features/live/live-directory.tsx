"use client";

import Link from "next/link";
import { formatUptime } from "../stream-health/format-health.ts";
import type { TChannelStatus } from "./channel-status.ts";
import { LiveBadge } from "./live-badge.tsx";
import { useEventStream } from "./use-event-stream.ts";

/** How often a card's thumbnail URL changes, matching the media node's refresh. */
const THUMBNAIL_REFRESH_S = 20;

/** Live channels as cards, most watched first, updated as channels go live or offline. */
export function LiveDirectory({ initial }: { initial: TChannelStatus[] }) {
  const { channels } = useEventStream("/api/v1/directory/events", { channels: initial });
  if (channels.length === 0) {
    return (
      <div className="card empty">
        <p>Nobody is live right now.</p>
        <p className="muted">
          Broadcasters: <Link href="/signup">create a channel</Link>, paste your stream key into OBS and start
          streaming. Your channel shows up here the moment you go live.
        </p>
      </div>
    );
  }
  return (
    <ul className="directory" aria-label="Live channels">
      {channels.map((channel) => (
        <li key={channel.name} className="card channel-card">
          <Link href={`/${channel.name}`}>
            <div className="thumbnail">
              {channel.thumbnailUrl && (
                // A live frame from the media node, refreshed every 20 s: a plain <img>, not an optimized asset.
                <img
                  src={`${channel.thumbnailUrl}?v=${Math.floor((channel.uptimeSeconds ?? 0) / THUMBNAIL_REFRESH_S)}`}
                  alt={`${channel.displayName}'s stream`}
                  width={640}
                  height={360}
                />
              )}
              <LiveBadge liveState={channel.liveState} />
            </div>
            <strong>{channel.displayName}</strong>
            <span>{channel.title || "Untitled broadcast"}</span>
            <span className="muted">
              {channel.viewers} {channel.viewers === 1 ? "viewer" : "viewers"}
              {channel.uptimeSeconds !== null && ` · ${formatUptime(channel.uptimeSeconds)}`}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

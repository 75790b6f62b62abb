"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useState, useSyncExternalStore } from "react";
import { ChatPanel } from "../chat/chat-panel.tsx";
import { VodPlayerLoader } from "../videos/vod-player-loader.tsx";
import { formatUptime } from "../stream-health/format-health.ts";
import { readTheatre, subscribeToPreferences, writeTheatre } from "../player/player-preferences.ts";
import type { TChannelStatus } from "./channel-status.ts";
import { LiveBadge } from "./live-badge.tsx";
import { useEventStream, useUptime } from "./use-event-stream.ts";

/** video.js and mpegts.js need a browser (MSE, `self`): the player renders on the client only. */
const loadPlayer = () => import("../player/live-player.tsx");
// Fetch the player's code as soon as this module runs in the browser, not after hydration.
if (typeof window !== "undefined") void loadPlayer();
const LivePlayer = dynamic(() => loadPlayer().then((module) => module.LivePlayer), {
  ssr: false,
  loading: () => <div className="live-player-video player-placeholder" />,
});

type ChannelLiveViewProps = {
  initial: TChannelStatus;
  /** The signed-in viewer's username, or null for a guest (who can read the chat). */
  viewerUsername: string | null;
  /** The channel's latest recorded broadcast, offered while it is offline. */
  latestVideo: { id: string; title: string } | null;
};

/** The channel page's live part: player, state, viewers and uptime, kept current by server events; and chat. */
export function ChannelLiveView({ initial, viewerUsername, latestVideo }: ChannelLiveViewProps) {
  const status = useEventStream(`/api/v1/channels/${encodeURIComponent(initial.name)}/events`, initial);
  const uptime = useUptime(status.liveState === "offline" ? null : status.startedAt);
  const isTheatre = useSyncExternalStore(subscribeToPreferences, readTheatre, () => false);
  const [isRewinding, setRewinding] = useState(false);
  const rewindUrl = status.liveState === "offline" ? null : status.rewindUrl;

  return (
    <div className={`channel-layout${isTheatre ? " theatre" : ""}`}>
      <section className="channel-main" aria-label="Video">
        {isRewinding && rewindUrl ? (
          <VodPlayerLoader
            src={rewindUrl}
            startSeconds={0}
            label={`${status.displayName}'s broadcast from its start`}
          />
        ) : (
          <LivePlayer channel={status.name} isLive={status.liveState !== "offline"} />
        )}
        <div className="channel-info">
          <h1>{status.displayName}</h1>
          <LiveBadge liveState={status.liveState} />
          {status.liveState !== "offline" && (
            <>
              <span className="viewer-count" aria-label="Viewers">
                {status.viewers} {status.viewers === 1 ? "viewer" : "viewers"}
              </span>
              {uptime !== null && <span className="uptime">Live for {formatUptime(uptime)}</span>}
            </>
          )}
          {rewindUrl && (
            <button type="button" className="secondary" onClick={() => setRewinding(!isRewinding)}>
              {isRewinding ? "Back to live" : "Rewind to the start"}
            </button>
          )}
          <button
            type="button"
            className="secondary"
            aria-pressed={isTheatre}
            onClick={() => writeTheatre(!isTheatre)}
          >
            Theatre mode
          </button>
        </div>
        <p className="channel-title">{status.title || "No title yet."}</p>
        {status.liveState === "offline" && status.lastBroadcast && (
          <p className="muted">
            Last live{" "}
            <time dateTime={status.lastBroadcast.startedAt} suppressHydrationWarning>
              {new Date(status.lastBroadcast.startedAt).toLocaleString()}
            </time>{" "}
            for{" "}
            {formatUptime(
              Math.round(
                (Date.parse(status.lastBroadcast.endedAt) - Date.parse(status.lastBroadcast.startedAt)) /
                  1000,
              ),
            )}
            , with up to {status.lastBroadcast.peakViewers} viewers.
          </p>
        )}
        {status.liveState === "offline" && latestVideo && (
          <p>
            <Link href={`/videos/${latestVideo.id}`}>
              Watch the last broadcast{latestVideo.title && `: ${latestVideo.title}`}
            </Link>
          </p>
        )}
        <p>
          <Link href={`/${status.name}/videos`}>Videos</Link>
        </p>
      </section>
      <ChatPanel channel={status.name} viewerUsername={viewerUsername} />
    </div>
  );
}

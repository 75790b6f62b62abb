"use client";

import "video.js/dist/video-js.css";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import videojs from "video.js";
import type { TPlaySource } from "../live/play-sources.ts";
import { canPlayFlv, FLV_ERROR_EVENT, registerFlvSourceHandler } from "./flv-source-handler.ts";
import { retryDelayMs, StallWatch, stallVerdict, type TDirectorAnswer } from "./reconnect-policy.ts";
import {
  readPath,
  readVolume,
  subscribeToPreferences,
  writePath,
  writeVolume,
  type TPlaybackPath,
} from "./player-preferences.ts";

type VideoJsPlayer = ReturnType<typeof videojs>;
/** video.js creates it when `liveui` is on; its types leave it off Player. */
type LiveTracker = { isLive(): boolean; liveCurrentTime(): number; seekToLiveEdge(): void };
type TPlayerState = "loading" | "playing" | "retrying";
type TPlayAnswer = TDirectorAnswer & { sources: TPlaySource[] };

/** HLS runs a few segments behind; past this the player jumps back to the live edge. */
const HLS_MAX_BEHIND_S = 8;
/** The FLV path chases the edge by playback rate; a buffer this deep (a stall) is skipped at once. */
const FLV_MAX_BUFFER_S = 3;

export type LivePlayerProps = { channel: string; isLive: boolean };

/**
 * The channel's video: video.js with two paths, low latency (WebSocket-FLV through mpegts.js, the
 * default where Media Source Extensions exist) and HLS (video.js's VHS). It fetches its sources from
 * the director (the play API), follows the live edge, and while the channel is live reconnects by
 * itself through the director, to whichever edge it names now (reconnect-policy.ts says when).
 */
export function LivePlayer({ channel, isLive }: LivePlayerProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const playerRef = useRef<VideoJsPlayer | null>(null);
  const canUseLowLatency = useSyncExternalStore(subscribeToPreferences, canPlayFlv, () => true);
  const storedPath = useSyncExternalStore(subscribeToPreferences, readPath, () => null);
  const path: TPlaybackPath = canUseLowLatency ? (storedPath ?? "low-latency") : "hls";
  const [state, setState] = useState<TPlayerState>("loading");
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  /** Failures in a row since the video last played: each retry waits longer. */
  const failuresRef = useRef(0);
  /** The node the last failed sources were on: the director is asked to pick another. */
  const lostNodeRef = useRef<string | null>(null);

  useEffect(() => {
    registerFlvSourceHandler();
    const element = document.createElement("video-js");
    element.classList.add("vjs-big-play-centered");
    element.setAttribute("aria-label", `${channel}'s live video`);
    containerRef.current!.appendChild(element);
    const player = videojs(element, {
      controls: true,
      autoplay: "any",
      preload: "auto",
      liveui: true,
      fluid: true,
      aspectRatio: "16:9",
      html5: { vhs: { overrideNative: true } },
    });
    const saved = readVolume();
    if (saved) {
      player.volume(saved.volume);
      player.muted(saved.muted);
    }
    player.on("volumechange", () => writeVolume(player.volume() ?? 1, Boolean(player.muted())));
    player.on("playing", () => {
      failuresRef.current = 0;
      lostNodeRef.current = null;
      setState("playing");
      setMessage(null);
    });
    playerRef.current = player;
    return () => {
      player.dispose();
      playerRef.current = null;
    };
  }, [channel]);

  useEffect(() => {
    const player = playerRef.current;
    if (!player) return;
    if (!isLive) {
      player.reset();
      failuresRef.current = 0;
      lostNodeRef.current = null;
      return;
    }
    let isCurrent = true;
    let hasFailed = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** The node the current sources are on, as the director named it. */
    let node: string | null = null;
    const retry = (reason: string) => {
      if (!isCurrent || hasFailed) return;
      hasFailed = true;
      lostNodeRef.current = node ?? lostNodeRef.current;
      setState("retrying");
      setMessage(
        path === "low-latency"
          ? `Reconnecting to the low-latency stream (${reason}). If it keeps failing, switch to HLS.`
          : `Reconnecting to the HLS stream (${reason}).`,
      );
      retryTimer = setTimeout(() => setAttempt((value) => value + 1), retryDelayMs(failuresRef.current++));
    };
    const askDirector = (avoid: string | null = null) =>
      fetch(
        `/api/v1/channels/${encodeURIComponent(channel)}/play${avoid ? `?avoid=${encodeURIComponent(avoid)}` : ""}`,
        { cache: "no-store" },
      ).then((response) => (response.ok ? (response.json() as Promise<TPlayAnswer>) : null));
    const video = player.el().querySelector("video");
    const onFlvError = (event: Event) => retry((event as CustomEvent<string>).detail);
    const onError = () => retry(player.error()?.message ?? "playback error");
    video?.addEventListener(FLV_ERROR_EVENT, onFlvError);
    player.on("error", onError);
    askDirector(lostNodeRef.current)
      .then((body) => {
        if (!isCurrent) return;
        const source = body?.sources.find((candidate) =>
          path === "hls" ? candidate.kind === "hls" : candidate.kind === "ws-flv",
        );
        if (!source) return retry("the stream is not available yet");
        node = body!.node;
        player.error(null);
        player.src({ src: source.src, type: source.type });
        player.play()?.catch(() => {});
      })
      .catch(() => retry("the site could not be reached"));
    const stallWatch = new StallWatch(Date.now());
    let isAskingAboutStall = false;
    const edgeTimer = setInterval(() => {
      chaseLiveEdge(player, path);
      const look = { time: player.currentTime() ?? 0, isPaused: Boolean(player.paused()), now: Date.now() };
      if (hasFailed || isAskingAboutStall || !stallWatch.isStalled(look)) return;
      isAskingAboutStall = true;
      askDirector()
        .catch(() => null)
        .then((answer) => {
          isAskingAboutStall = false;
          if (stallVerdict(answer, node) === "wait") stallWatch.rearm(Date.now());
          else retry("the stream stalled");
        });
    }, 1000);
    return () => {
      isCurrent = false;
      clearTimeout(retryTimer);
      clearInterval(edgeTimer);
      video?.removeEventListener(FLV_ERROR_EVENT, onFlvError);
      player.off("error", onError);
    };
  }, [channel, isLive, path, attempt]);

  return (
    <div className="live-player" data-state={isLive ? state : "offline"} data-path={path}>
      <div ref={containerRef} className="live-player-video" />
      {!isLive && (
        <p className="player-overlay" role="status">
          {channel} is offline.
        </p>
      )}
      {isLive && state === "retrying" && (
        <p className="player-overlay" role="status">
          Reconnecting…
        </p>
      )}
      {isLive && message && (
        <p className="player-message" role="status">
          {message}
        </p>
      )}
      <fieldset className="playback-path">
        <legend>Playback</legend>
        <label>
          <input
            type="radio"
            name="playback-path"
            value="low-latency"
            checked={path === "low-latency"}
            disabled={!canUseLowLatency}
            onChange={() => writePath("low-latency")}
          />{" "}
          Low latency
        </label>
        <label>
          <input
            type="radio"
            name="playback-path"
            value="hls"
            checked={path === "hls"}
            onChange={() => writePath("hls")}
          />{" "}
          HLS
        </label>
        {!canUseLowLatency && <span className="muted"> (low latency needs Media Source Extensions)</span>}
      </fieldset>
    </div>
  );
}

/** Keeps a long session at the live edge: delay must not grow with every stall. */
function chaseLiveEdge(player: VideoJsPlayer, path: TPlaybackPath): void {
  if (player.paused()) return;
  if (path === "hls") {
    const tracker = (player as VideoJsPlayer & { liveTracker?: LiveTracker }).liveTracker;
    if (tracker?.isLive() && tracker.liveCurrentTime() - (player.currentTime() ?? 0) > HLS_MAX_BEHIND_S) {
      tracker.seekToLiveEdge();
    }
    return;
  }
  const buffered = player.buffered();
  if (buffered.length === 0) return;
  const end = buffered.end(buffered.length - 1);
  if (end - (player.currentTime() ?? 0) > FLV_MAX_BUFFER_S) player.currentTime(end - 0.5);
}

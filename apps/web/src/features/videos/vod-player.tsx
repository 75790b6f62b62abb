"use client";

import "video.js/dist/video-js.css";
import { useEffect, useRef, useState } from "react";
import videojs from "video.js";

export type VodPlayerProps = {
  /** The recording's HLS playlist. */
  src: string;
  /** Where to start, in seconds (`?t=` of a shared link). */
  startSeconds: number;
  label: string;
};

/**
 * A recorded broadcast: video.js over the recording's HLS playlist (VHS), with seeking; a recording
 * still going on (rewind while live) plays from `startSeconds` too and can be followed to its live
 * end. "Share" gives a link to the moment on screen (`?t=<seconds>`).
 */
export function VodPlayer({ src, startSeconds, label }: VodPlayerProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const playerRef = useRef<ReturnType<typeof videojs> | null>(null);
  const [shareUrl, setShareUrl] = useState<string | null>(null);

  useEffect(() => {
    const element = document.createElement("video-js");
    element.setAttribute("aria-label", label);
    containerRef.current!.appendChild(element);
    const player = videojs(element, {
      controls: true,
      // A viewer who opened a video (or rewound a live one) wants it to play.
      autoplay: "any",
      preload: "auto",
      fluid: true,
      aspectRatio: "16:9",
      html5: { vhs: { overrideNative: true } },
      sources: [{ src, type: "application/x-mpegURL" }],
    });
    // Also to 0: a recording still going on is a live (EVENT) playlist, which would start at its end.
    player.one("loadedmetadata", () => player.currentTime(startSeconds));
    playerRef.current = player;
    return () => {
      player.dispose();
      playerRef.current = null;
    };
  }, [src, startSeconds, label]);

  const share = () => {
    const seconds = Math.floor(playerRef.current?.currentTime() ?? 0);
    const url = new URL(window.location.href);
    url.searchParams.set("t", String(seconds));
    setShareUrl(url.href);
    void navigator.clipboard?.writeText(url.href).catch(() => {});
  };

  return (
    <div className="vod-player">
      <div ref={containerRef} className="live-player-video" />
      <div className="vod-share">
        <button type="button" className="secondary" onClick={share}>
          Share this moment
        </button>
        {shareUrl && (
          <input
            aria-label="Link to this moment"
            readOnly
            value={shareUrl}
            onFocus={(event) => event.target.select()}
          />
        )}
      </div>
    </div>
  );
}

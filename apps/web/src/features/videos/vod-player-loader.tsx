"use client";

import dynamic from "next/dynamic";

/** video.js needs a browser: the VOD player renders on the client only. */
export const VodPlayerLoader = dynamic(() => import("./vod-player.tsx").then((module) => module.VodPlayer), {
  ssr: false,
  loading: () => <div className="live-player-video player-placeholder" />,
});

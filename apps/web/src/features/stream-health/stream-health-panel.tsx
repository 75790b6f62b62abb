"use client";

import { useEffect, useState } from "react";
import {
  formatAudio,
  formatKeyframeInterval,
  formatUptime,
  formatVideo,
  MAX_GOOD_KEYFRAME_INTERVAL_MS,
} from "./format-health.ts";
import type { TStreamHealthResponse } from "./schemas.ts";

const POLL_MS = 2000;

/** The broadcaster's live stream health, refreshed every two seconds while the dashboard is open. */
export function StreamHealthPanel({ initial }: { initial: TStreamHealthResponse }) {
  const [health, setHealth] = useState(initial);
  useEffect(() => {
    let isActive = true;
    const timer = setInterval(async () => {
      const response = await fetch("/dashboard/stream-health", { cache: "no-store" }).catch(() => null);
      if (isActive && response?.ok) setHealth((await response.json()) as TStreamHealthResponse);
    }, POLL_MS);
    return () => {
      isActive = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <section className="card" aria-labelledby="stream-health-heading">
      <h2 id="stream-health-heading">Stream health</h2>
      {health.isLive ? <LiveHealth status={health.status} /> : <p className="muted">You are offline.</p>}
    </section>
  );
}

function LiveHealth({ status }: { status: Extract<TStreamHealthResponse, { isLive: true }>["status"] }) {
  const { health, viewers } = status;
  const isKeyframeIntervalLong = (health.keyframeIntervalMs ?? 0) > MAX_GOOD_KEYFRAME_INTERVAL_MS;
  return (
    <dl className="health" aria-live="polite">
      <dt>Status</dt>
      <dd className={status.state === "live" ? "state-live" : "state-reconnecting"}>
        {status.state === "live" ? "Live" : "Reconnecting…"}
      </dd>
      <dt>Uptime</dt>
      <dd>{formatUptime(status.uptimeSeconds)}</dd>
      <dt>Video</dt>
      <dd>{formatVideo(health.video)}</dd>
      <dt>Audio</dt>
      <dd>{formatAudio(health.audio)}</dd>
      <dt>Ingest bitrate</dt>
      <dd>{health.ingestKbps.toLocaleString("en")} kbps</dd>
      <dt>Keyframe interval</dt>
      <dd>
        {formatKeyframeInterval(health.keyframeIntervalMs)}
        {isKeyframeIntervalLong && (
          <span className="form-error"> — set OBS’s Keyframe Interval to 2 s so viewers start quickly</span>
        )}
      </dd>
      <dt>Viewers</dt>
      <dd>
        {viewers.total} (low-latency {viewers["http-flv"] + viewers["ws-flv"]}, HLS {viewers.hls}, RTMP{" "}
        {viewers.rtmp})
      </dd>
    </dl>
  );
}

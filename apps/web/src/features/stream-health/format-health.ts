import type { TStreamStatus } from "@relaycast/media/api";

/** A keyframe interval beyond this makes HLS segments long and new viewers wait; OBS should send 2 s. */
export const MAX_GOOD_KEYFRAME_INTERVAL_MS = 4000;

export function formatUptime(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const pad = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
}

export function formatVideo({ codec, width, height, fps }: TStreamStatus["health"]["video"]): string {
  const size = width && height ? `${width}×${height}` : "unknown size";
  return `${codec ?? "unknown codec"}, ${size}${fps ? ` at ${fps} fps` : ""}`;
}

export function formatAudio({ codec, sampleRate, channels }: TStreamStatus["health"]["audio"]): string {
  if (!codec) return "none";
  const rate = sampleRate ? `, ${sampleRate / 1000} kHz` : "";
  const layout = channels === 2 ? ", stereo" : channels === 1 ? ", mono" : "";
  return `${codec}${rate}${layout}`;
}

export function formatKeyframeInterval(ms: number | null): string {
  return ms === null ? "measuring…" : `${(ms / 1000).toFixed(1)} s`;
}

import type { TChannelStatus } from "./channel-status.ts";

const LABELS: Record<TChannelStatus["liveState"], string> = {
  live: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
};

export function LiveBadge({ liveState }: { liveState: TChannelStatus["liveState"] }) {
  return <span className={`badge ${liveState}`}>{LABELS[liveState]}</span>;
}

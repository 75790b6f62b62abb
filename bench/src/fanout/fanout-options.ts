import { rejectLeftovers, takeFlag, takeIntegerList, takeNumber, takeOption } from "../shared/cli-flags.ts";
import { BENCH_CLIP, type ClipSpec } from "./test-clip.ts";
import { PLAY_PROTOCOLS, type TPlayProtocol } from "./viewers/viewer.ts";

export type FanoutOptions = {
  isSmoke: boolean;
  /** Viewer totals to measure at, ascending; each is split evenly across the three protocols. */
  viewerCounts: number[];
  /** The protocols viewers play with; each total is split evenly across them. */
  protocols: TPlayProtocol[];
  windowSeconds: number;
  /** Pause between a ramp's end and its window, for the new viewers' GOP bursts to pass. */
  settleSeconds: number;
  /** The zero-viewer window that gives the baseline CPU and RSS. */
  idleSeconds: number;
  /** Time the stream runs before the baseline, so the GOP cache and the HLS sidecar are warm. */
  warmupSeconds: number;
  /** Viewers opened per second while ramping, all load generators together. */
  rampPerSecond: number;
  /** Viewers opened at once, per load generator. */
  batchSize: number;
  keyframeTimeoutSeconds: number;
  loadGenerators: number;
  sampledPerProtocol: number;
  clip: ClipSpec;
  ffmpegPath: string;
};

export const FANOUT_FLAGS = [
  "--smoke              a tiny run (10 viewers, 3 s window, short clip) for CI",
  "--viewers 100,500    viewer totals to measure at (default 100,500,1000,2000)",
  "--protocols <list>   protocols to split viewers across (default http-flv,ws-flv,rtmp)",
  "--window <s>         measurement window per step (default 10)",
  "--generators <n>     load-generator processes (default 2)",
  "--ramp <n>           viewers opened per second while ramping (default 200)",
  "--sampled <n>        viewers per protocol that time every tag (default 20)",
  "--ffmpeg <path>      ffmpeg binary (default ffmpeg)",
];

/** The fanout benchmark's options from its flags; throws on an unknown flag. */
export function parseFanoutOptions(args: string[]): FanoutOptions {
  const rest = [...args];
  const isSmoke = takeFlag(rest, "--smoke");
  const viewerCounts = takeIntegerList(rest, "--viewers") ?? (isSmoke ? [10] : [100, 500, 1_000, 2_000]);
  const options: FanoutOptions = {
    isSmoke,
    viewerCounts: [...new Set(viewerCounts)].sort((a, b) => a - b),
    protocols: parseProtocols(takeOption(rest, "--protocols")),
    windowSeconds: takeNumber(rest, "--window", isSmoke ? 3 : 10),
    settleSeconds: isSmoke ? 1 : 3,
    idleSeconds: isSmoke ? 2 : 5,
    warmupSeconds: isSmoke ? 2.5 : 4,
    rampPerSecond: takeNumber(rest, "--ramp", 200),
    batchSize: 5,
    keyframeTimeoutSeconds: 10,
    loadGenerators: Math.round(takeNumber(rest, "--generators", isSmoke ? 1 : 2)),
    sampledPerProtocol: Math.round(takeNumber(rest, "--sampled", isSmoke ? 3 : 20)),
    clip: { ...BENCH_CLIP, seconds: isSmoke ? 6 : 30 },
    ffmpegPath: takeOption(rest, "--ffmpeg") ?? "ffmpeg",
  };
  rejectLeftovers(rest);
  return options;
}

function parseProtocols(value: string | undefined): TPlayProtocol[] {
  if (value === undefined) return [...PLAY_PROTOCOLS];
  const protocols = value.split(",").map((part) => part.trim());
  const unknown = protocols.filter((protocol) => !PLAY_PROTOCOLS.includes(protocol as TPlayProtocol));
  if (unknown.length > 0 || protocols.length === 0)
    throw new Error(`--protocols takes a list of ${PLAY_PROTOCOLS.join(", ")}`);
  return [...new Set(protocols as TPlayProtocol[])];
}

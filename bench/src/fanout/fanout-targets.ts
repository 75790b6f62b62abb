/**
 * What the fanout should reach: the issue's minimum and DESIGN.md's current target ("Numbers to
 * reach"). The benchmark reports against them; it never fails on them.
 */
export const FANOUT_TARGETS = {
  viewersPerCoreAtFullRate: { issue: 1_000, design: 4_000 },
  memoryPerViewerKb: { issue: 100, design: 30 },
  timeToFirstFrameP95Ms: { issue: 300, design: 100 },
  flvDelayP95Ms: { issue: 1_000, design: 50 },
  serverAddedFlvDelayP95Ms: { issue: 1_000, design: 50 },
} as const;

export const FANOUT_TARGET_NOTES = {
  viewersPerCoreAtFullRate:
    "viewers all at full rate per core of server CPU; design: ≤ 0.5 × nginx-rtmp's CPU ≈ 4,000 viewers (10 Gbit/s) per core",
  memoryPerViewerKb:
    "(server RSS after a forced GC at N − the same with 0 viewers) / N; a negative value is GC and allocator noise (no verdict)",
  perViewerNumbers:
    "per-core and per-viewer numbers mean something from a few hundred viewers up: at small N the stream's fixed costs and memory noise dominate",
  timeToFirstFrameP95Ms:
    "connect → first complete video keyframe tag; design target is for HTTP/WS-FLV at 1,000 viewers",
  flvDelayP95Ms:
    "FLV path (HTTP-FLV and WS-FLV) delivery delay p95 as the issue defines it (publisher pacing jitter included); design: ≤ 50 ms added by the server, glass-to-glass ≤ 1 s",
  serverAddedFlvDelayP95Ms:
    "FLV path p95 of (arrival at the viewer − arrival of the same frame at a relay just before the server's RTMP port): the delay the server adds, batching included",
};

type Target = { issue: number; design: number };
export type TargetCheck = { value: number | null; meetsIssue: boolean | null; meetsDesign: boolean | null };

export function atLeast(value: number | null, target: Target): TargetCheck {
  return {
    value,
    meetsIssue: value === null ? null : value >= target.issue,
    meetsDesign: value === null ? null : value >= target.design,
  };
}

/** For a measure that cannot be negative: a negative value is noise, and gets no verdict. */
export function atMostNonNegative(value: number | null, target: Target): TargetCheck {
  return value !== null && value < 0 ? { value, meetsIssue: null, meetsDesign: null } : atMost(value, target);
}

export function atMost(value: number | null, target: Target): TargetCheck {
  return {
    value,
    meetsIssue: value === null ? null : value <= target.issue,
    meetsDesign: value === null ? null : value <= target.design,
  };
}

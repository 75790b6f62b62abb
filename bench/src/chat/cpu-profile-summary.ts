import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The parts of a V8 `.cpuprofile` (what node --cpu-prof writes) this summary reads. */
type CpuProfile = {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  /** Microseconds on the monotonic clock (CLOCK_MONOTONIC, as process.hrtime here). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** A span of time on the monotonic clock, in microseconds, e.g. one phase's sending window. */
export type ProfileWindow = { label: string; startUs: number; endUs: number };

type Share = { name: string; ms: number; percent: number };

export type ProfileSummary = {
  label: string;
  /**
   * Sampled time in the window when the main thread was not idle. Wall time: it includes time the
   * thread was runnable but waiting for a core, so it can exceed the CPU the process was given.
   */
  busyMs: number;
  windowMs: number;
  /** Self time by where the code lives: an npm package, a workspace package, Node internals, GC. */
  selfByArea: Share[];
  /** Each sample charged to the nearest frame in a package or workspace (who made Node do the work). */
  byCaller: Share[];
  /** The functions with the most self time. */
  topFunctions: (Share & { area: string })[];
  /**
   * The longest runs of samples without an idle one: while the main thread never went idle, every
   * event that arrived waited. Each with the callers that took most of it.
   */
  longestBusyStretches: { ms: number; atMs: number; callers: Share[] }[];
};

const TOP_AREAS = 15;
const TOP_FUNCTIONS = 20;
const TOP_STRETCHES = 5;
const CALLERS_PER_STRETCH = 4;

/**
 * The newest main-thread profile in a directory, or null. Node names them
 * `CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile`; thread 0 is the main thread (tsx's loader
 * runs in a second one).
 */
export async function newestCpuProfile(dir: string): Promise<string | null> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) =>
    /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(file),
  );
  return files.length === 0 ? null : join(dir, files.sort().at(-1)!);
}

/** Where a process's CPU went, per window (samples outside every window are left out). */
export async function summariseCpuProfile(path: string, windows: ProfileWindow[]): Promise<ProfileSummary[]> {
  const profile = JSON.parse(await readFile(path, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const callerOf = new Map<number, string>();
  const caller = (id: number): string => {
    const known = callerOf.get(id);
    if (known) return known;
    let current: number | undefined = id;
    let found = area(nodes.get(id)!.callFrame);
    while (current !== undefined) {
      const candidate = area(nodes.get(current)!.callFrame);
      if (isCodeArea(candidate)) {
        found = candidate;
        break;
      }
      current = parents.get(current);
    }
    callerOf.set(id, found);
    return found;
  };

  const isIdle = (id: number) => nodes.get(id)!.callFrame.functionName === "(idle)";

  return windows.map((window) => {
    const selfMs = new Map<number, number>();
    const stretches: { ms: number; atMs: number; callers: Map<string, number> }[] = [];
    let stretch: (typeof stretches)[number] | null = null;
    let time = profile.startTime;
    profile.samples.forEach((id, index) => {
      // timeDeltas[i] is the time before sample i: charge sample i with the time up to the next one.
      time += profile.timeDeltas[index] ?? 0;
      const spent = (profile.timeDeltas[index + 1] ?? 0) / 1000;
      if (time < window.startUs || time >= window.endUs) return;
      selfMs.set(id, (selfMs.get(id) ?? 0) + spent);
      if (isIdle(id)) {
        stretch = null;
        return;
      }
      if (!stretch) {
        stretch = { ms: 0, atMs: (time - window.startUs) / 1000, callers: new Map() };
        stretches.push(stretch);
      }
      stretch.ms += spent;
      const who = caller(id);
      stretch.callers.set(who, (stretch.callers.get(who) ?? 0) + spent);
    });
    let busyMs = 0;
    const byArea = new Map<string, number>();
    const byCaller = new Map<string, number>();
    const byFunction = new Map<string, { ms: number; area: string }>();
    for (const [id, ms] of selfMs) {
      const { callFrame } = nodes.get(id)!;
      if (callFrame.functionName === "(idle)") continue;
      busyMs += ms;
      const where = area(callFrame);
      byArea.set(where, (byArea.get(where) ?? 0) + ms);
      const who = caller(id);
      byCaller.set(who, (byCaller.get(who) ?? 0) + ms);
      const name = `${callFrame.functionName || "(anonymous)"} ${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}`;
      const entry = byFunction.get(name) ?? { ms: 0, area: where };
      entry.ms += ms;
      byFunction.set(name, entry);
    }
    const share = (name: string, ms: number): Share => ({
      name,
      ms: Math.round(ms),
      percent: busyMs > 0 ? Math.round((ms / busyMs) * 1000) / 10 : 0,
    });
    const ranked = (map: Map<string, number>, top: number) =>
      [...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, ms]) => share(name, ms));
    return {
      label: window.label,
      busyMs: Math.round(busyMs),
      windowMs: Math.round((window.endUs - window.startUs) / 1000),
      selfByArea: ranked(byArea, TOP_AREAS),
      byCaller: ranked(byCaller, TOP_AREAS),
      topFunctions: [...byFunction]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, TOP_FUNCTIONS)
        .map(([name, { ms, area }]) => ({ ...share(name, ms), area })),
      longestBusyStretches: stretches
        .sort((a, b) => b.ms - a.ms)
        .slice(0, TOP_STRETCHES)
        .map((busy) => ({
          ms: Math.round(busy.ms),
          atMs: Math.round(busy.atMs),
          callers: [...busy.callers]
            .sort((a, b) => b[1] - a[1])
            .slice(0, CALLERS_PER_STRETCH)
            .map(([name, ms]) => ({
              name,
              ms: Math.round(ms),
              percent: Math.round((ms / busy.ms) * 1000) / 10,
            })),
        })),
    };
  });
}

/** Where a frame's code lives: `npm:<package>`, `@relaycast/<package>`, `node:<module>`, or a V8 bucket. */
function area({ functionName, url }: { functionName: string; url: string }): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) {
    const parts = url.slice(modules + "/node_modules/".length).split("/");
    return `npm:${parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  const workspace = /\/(packages|apps)\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(url);
  if (workspace) {
    const [, kind, name, folder] = workspace;
    const base = kind === "packages" ? `@relaycast/${name}` : `apps/${name}`;
    return folder ? `${base}/${folder}` : base;
  }
  if (url.startsWith("wasm://")) return "wasm";
  if (url.startsWith("node:")) {
    const path = url.slice("node:".length).split("/");
    return path[0] === "internal" && path.length > 2 ? `node:internal/${path[1]}` : `node:${path.join("/")}`;
  }
  return url;
}

function isCodeArea(name: string): boolean {
  return name.startsWith("npm:") || name.startsWith("@relaycast/") || name.startsWith("apps/");
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) return url.slice(modules + "/node_modules/".length);
  const workspace = /\/((?:packages|apps)\/.*)$/.exec(url);
  return workspace ? workspace[1]! : url;
}

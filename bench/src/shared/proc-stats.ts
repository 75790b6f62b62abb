import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** CPU seconds a process has used (user + system), or null once it is gone. */
export function processCpuSeconds(pid: number): number | null {
  const times = processCpuTimes(pid);
  return times && times.user + times.system;
}

/** CPU seconds a process has used in user space and in the kernel (syscalls, e.g. socket writes), or null. */
export function processCpuTimes(pid: number): { user: number; system: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return { user: userTicks / CLOCK_TICKS_PER_SECOND, system: systemTicks / CLOCK_TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/**
 * Time a process's main thread (for Node, the event loop) spent on a core and runnable but waiting
 * for one, in seconds (/proc/<pid>/schedstat); null once it is gone or without schedstats.
 */
export function mainThreadSchedSeconds(pid: number): { running: number; waiting: number } | null {
  try {
    const [running, waiting] = readFileSync(`/proc/${pid}/schedstat`, "utf8").trim().split(" ").map(Number);
    if (!Number.isFinite(running) || !Number.isFinite(waiting)) return null;
    return { running: running! / 1e9, waiting: waiting! / 1e9 };
  } catch {
    return null;
  }
}

/** Resident memory of a process in bytes (VmRSS), or null once it is gone. */
export function processRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The direct children of a process (e.g. the ffmpeg sidecars a media node spawned). */
export function childPids(pid: number): number[] {
  try {
    const pids: number[] = [];
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (children) pids.push(...children.split(" ").map(Number));
    }
    return pids;
  } catch {
    return [];
  }
}

/** Busy and total CPU seconds of the whole machine, all cores summed (/proc/stat). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = ticks[3]! + ticks[4]!;
  return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
}

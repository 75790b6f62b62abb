import { machineCpuSeconds, mainThreadSchedSeconds, processCpuTimes } from "./proc-stats.ts";

/** CPU counters of some processes and of the machine at one instant. */
export type CpuSnapshot = {
  atMs: number;
  processes: Map<number, { user: number; system: number } | null>;
  mainThreads: Map<number, { running: number; waiting: number } | null>;
  machine: { busy: number; total: number };
};

export function snapshotCpu(pids: number[]): CpuSnapshot {
  return {
    atMs: performance.now(),
    processes: new Map(pids.map((pid) => [pid, processCpuTimes(pid)])),
    mainThreads: new Map(pids.map((pid) => [pid, mainThreadSchedSeconds(pid)])),
    machine: machineCpuSeconds(),
  };
}

/** CPU a process used between two snapshots, in % of one core; null if it was not running throughout. */
export function processCpuPercent(start: CpuSnapshot, end: CpuSnapshot, pid: number): number | null {
  const before = start.processes.get(pid);
  const after = end.processes.get(pid);
  if (before == null || after == null) return null;
  const used = after.user + after.system - (before.user + before.system);
  return round((used / ((end.atMs - start.atMs) / 1000)) * 100);
}

/** The kernel's part of `processCpuPercent` (system time: syscalls such as socket reads and writes). */
export function processSystemCpuPercent(start: CpuSnapshot, end: CpuSnapshot, pid: number): number | null {
  const before = start.processes.get(pid);
  const after = end.processes.get(pid);
  if (before == null || after == null) return null;
  return round(((after.system - before.system) / ((end.atMs - start.atMs) / 1000)) * 100);
}

/**
 * A process's main thread between two snapshots, in % of the time: on a core, and runnable but
 * waiting for one (CPU contention). Null if it was not running throughout.
 */
export function mainThreadPercent(
  start: CpuSnapshot,
  end: CpuSnapshot,
  pid: number,
): { cpuPercent: number; runQueueWaitPercent: number } | null {
  const before = start.mainThreads.get(pid);
  const after = end.mainThreads.get(pid);
  if (!before || !after) return null;
  const seconds = (end.atMs - start.atMs) / 1000;
  return {
    cpuPercent: round(((after.running - before.running) / seconds) * 100),
    runQueueWaitPercent: round(((after.waiting - before.waiting) / seconds) * 100),
  };
}

/** The whole machine's busy CPU between two snapshots, in % of one core (so 200 % = 2 cores busy). */
export function machineBusyPercent(start: CpuSnapshot, end: CpuSnapshot): number {
  const seconds = (end.atMs - start.atMs) / 1000;
  return round(((end.machine.busy - start.machine.busy) / seconds) * 100);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

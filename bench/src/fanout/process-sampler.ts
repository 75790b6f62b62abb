import { machineCpuSeconds, processCpuSeconds } from "../shared/proc-stats.ts";

/** CPU counters of some processes and of the machine at one instant. */
export type CpuSnapshot = {
  atMs: number;
  processes: Map<number, number | null>;
  machine: { busy: number; total: number };
};

export function snapshotCpu(pids: number[]): CpuSnapshot {
  return {
    atMs: performance.now(),
    processes: new Map(pids.map((pid) => [pid, processCpuSeconds(pid)])),
    machine: machineCpuSeconds(),
  };
}

/** CPU a process used between two snapshots, in % of one core; null if it was not running throughout. */
export function processCpuPercent(start: CpuSnapshot, end: CpuSnapshot, pid: number): number | null {
  const before = start.processes.get(pid);
  const after = end.processes.get(pid);
  if (before == null || after == null) return null;
  return round(((after - before) / ((end.atMs - start.atMs) / 1000)) * 100);
}

/** The whole machine's busy CPU between two snapshots, in % of one core (so 200 % = 2 cores busy). */
export function machineBusyPercent(start: CpuSnapshot, end: CpuSnapshot): number {
  const seconds = (end.atMs - start.atMs) / 1000;
  return round(((end.machine.busy - start.machine.busy) / seconds) * 100);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

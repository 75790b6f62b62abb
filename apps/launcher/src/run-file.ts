import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A process, told apart from a later one that reuses its pid by its start time (Linux /proc). */
type TProcessRecord = { pid: number; startTime: string | null };
type TRunRecord = { launcher: TProcessRecord; services: Record<string, TProcessRecord> };

export class LeftoverError extends Error {
  override name = "LeftoverError";
}

/**
 * `DATA_DIR/relaycast.pid`: the launcher and the services it runs, by pid. A new start reads it
 * first: a launcher still running, or a service left running by one that was killed, is reported
 * (LeftoverError, with the pids to stop) rather than fought over ports. A file whose processes are
 * all gone (a crash, a kill -9 whose services died with it) is simply replaced.
 */
export class RunFile {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly record: TRunRecord,
    /** The last run did not stop cleanly (its file was left): the launcher says so. */
    readonly foundStaleFile: boolean,
  ) {}

  static async claim(dataDir: string): Promise<RunFile> {
    const path = join(dataDir, "relaycast.pid");
    const previous = await readRecord(path);
    if (previous) await assertGone(previous, dataDir);
    const runFile = new RunFile(
      path,
      { launcher: { pid: process.pid, startTime: await startTimeOf(process.pid) }, services: {} },
      previous !== null,
    );
    await runFile.save();
    return runFile;
  }

  async recordService(name: string, pid: number): Promise<void> {
    this.record.services[name] = { pid, startTime: await startTimeOf(pid) };
    await this.save();
  }

  async release(): Promise<void> {
    await this.writing;
    await rm(this.path, { force: true });
  }

  private save(): Promise<void> {
    const text = `${JSON.stringify(this.record)}\n`;
    this.writing = this.writing.then(() => writeFile(this.path, text, { mode: 0o600 }));
    return this.writing;
  }
}

async function readRecord(path: string): Promise<TRunRecord | null> {
  const text = await readFile(path, "utf8").catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as TRunRecord;
  } catch {
    return null;
  }
}

async function assertGone(previous: TRunRecord, dataDir: string): Promise<void> {
  if (await isStillRunning(previous.launcher)) {
    const { pid } = previous.launcher;
    throw new LeftoverError(
      `Relaycast is already running from ${dataDir} (launcher pid ${pid}). Stop it first (kill ${pid}), or use another DATA_DIR.`,
    );
  }
  const leftovers: Array<{ name: string; pid: number }> = [];
  for (const [name, service] of Object.entries(previous.services ?? {})) {
    if (await isStillRunning(service)) leftovers.push({ name, pid: service.pid });
  }
  if (leftovers.length > 0) {
    const listed = leftovers.map(({ name, pid }) => `${name} (pid ${pid})`).join(", ");
    throw new LeftoverError(
      `A previous run of Relaycast from ${dataDir} was killed and left ${listed} running. Stop ${leftovers.length > 1 ? "them" : "it"} first: kill ${leftovers.map(({ pid }) => pid).join(" ")}`,
    );
  }
}

async function isStillRunning(record: TProcessRecord | undefined): Promise<boolean> {
  if (!record || !Number.isInteger(record.pid) || record.pid <= 0 || record.pid === process.pid) return false;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The pid is taken: by the same process only if it started at the same time.
  const startTime = await startTimeOf(record.pid);
  return record.startTime === null || startTime === null || startTime === record.startTime;
}

/** The process's start time since boot (field 22 of /proc/<pid>/stat); null without /proc. */
async function startTimeOf(pid: number): Promise<string | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  // After "pid (comm) ", where comm may hold spaces and parentheses: field 3 onwards.
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
}

import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { withOpenFileLimit } from "./fd-limit.ts";

export type SpawnTsOptions = {
  args?: string[];
  /** Node flags for the child, e.g. `--expose-gc`. */
  nodeFlags?: string[];
  stdio: StdioOptions;
  /** Files the child must be able to open (sockets included). */
  openFiles: number;
  /** The child's environment; this process's when omitted. */
  env?: NodeJS.ProcessEnv;
};

/**
 * Runs a TypeScript entry file in its own Node process, with the same loader (tsx) as this one, so
 * its CPU and memory can be measured apart from ours.
 */
export function spawnTs(entryFile: string, options: SpawnTsOptions): ChildProcess {
  const { command, args } = withOpenFileLimit(
    process.execPath,
    [...(options.nodeFlags ?? []), ...process.execArgv, entryFile, ...(options.args ?? [])],
    options.openFiles,
  );
  return spawn(command, args, { stdio: options.stdio, env: options.env });
}

/** Resolves once the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Asks a child to stop (SIGTERM), then kills it if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await done;
  clearTimeout(timer);
}

import { spawn, type ChildProcess } from "node:child_process";
import type { Logger } from "@relaycast/logger";

export type SupervisedProcessOptions = {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  log: Logger;
  /** Told each new child's pid (the launcher records them in its run file). */
  started?: (pid: number) => void;
  /** How long `close()` waits after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
};

const MAX_BACKOFF_MS = 10_000;
/** A process that ran this long before dying is restarted at once, as a fresh failure. */
const HEALTHY_RUN_MS = 30_000;

/** Runs one child process and restarts it, with backoff, whenever it exits before `close()`. */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private isClosing = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SupervisedProcessOptions) {}

  start(): void {
    const { name, command, args, env, cwd, log } = this.options;
    const startedAt = Date.now();
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "inherit", "inherit"] });
    this.child = child;
    log.info({ process: name, pid: child.pid }, "process started");
    if (child.pid !== undefined) this.options.started?.(child.pid);
    child.once("exit", (code, signal) => {
      this.child = null;
      if (this.isClosing) return;
      this.failures = Date.now() - startedAt > HEALTHY_RUN_MS ? 1 : this.failures + 1;
      const delayMs = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (this.failures - 1));
      log.error({ process: name, code, signal, delayMs }, "process exited; restarting");
      this.restartTimer = setTimeout(() => this.start(), delayMs);
    });
  }

  async close(): Promise<void> {
    this.isClosing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), this.options.stopTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timer);
    this.options.log.info({ process: this.options.name }, "process stopped");
  }
}

import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:fs";
import { access, chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "@relaycast/logger";
import { buildIrcdModule, RELAYCAST_MODULE_SOURCES } from "./build-ircd-module.ts";
import { ensureTlsCertificate, type TlsCertificateFiles } from "./ensure-tls-certificate.ts";
import { LogTail } from "./log-tail.ts";
import { canConnect, isPortFree } from "./tcp-probes.ts";
import { IRCD_DEFAULT_PORTS, renderIrcdConfig, type TIrcdConfigOptions } from "./render-ircd-config.ts";

export const DEFAULT_INSPIRCD_PATH = "/usr/sbin/inspircd";
export const DEFAULT_INSPIRCD_MODULE_DIR = "/usr/lib/inspircd/modules";

/** The message of the day: how to log in, with this server's TLS port. */
function motd(tlsPort: number): string {
  return [
    "Welcome to Relaycast chat.",
    "",
    "Sign in: set the server password to an IRC token from your Relaycast dashboard",
    `(e.g. /connect -tls <server> ${tlsPort} <token>) and use your Relaycast username as nick.`,
    "Without a token, pick a nick starting with guest- to read along.",
  ].join("\n");
}

export type IrcdProcessOptions = {
  /** Instance directory (absolute or relative to cwd), e.g. `<dataDir>/irc`: config, pid, motd, module links. */
  dir: string;
  /** Everything renderIrcdConfig takes except the paths, which the process fills in. */
  config: Omit<TIrcdConfigOptions, "runDir" | "logFile" | "motdFile" | "moduleDir" | "extraModules" | "tls">;
  /**
   * The TLS port's certificate and key (PEM). Without them a self-signed certificate for the
   * server name is generated into `<dir>/tls/` on first start and reused after.
   */
  tls?: TlsCertificateFiles;
  log: Logger;
  /** The inspircd binary (launcher: INSPIRCD_PATH). */
  binaryPath?: string;
  /** A command the server is started through, e.g. the launcher's `setpriv --pdeathsig TERM --`. */
  launchPrefix?: string[];
  /** InspIRCd's own module directory, linked into `<dir>/modules` when extra modules are loaded. */
  systemModuleDir?: string;
  /** Extra module files (absolute paths to `m_*.so`) beyond the Relaycast modules, which are always built and loaded. */
  extraModulePaths?: string[];
  /** Where the Relaycast modules are compiled (reused while their source is unchanged); default `<dir>/build`. */
  moduleBuildDir?: string;
  /** InspIRCd's headers for that build (Debian: inspircd-dev). */
  includeDir?: string;
  /** How long start() waits for the listeners. */
  readyTimeoutMs?: number;
  /** How long close() waits after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
};

export type IrcdStartErrorCode = "NOT_INSTALLED" | "PORT_IN_USE" | "EXITED" | "TIMEOUT";

/** Why the IRC server did not start; `lastLines` holds its last output lines (no secrets are logged by InspIRCd at level "default"). */
export class IrcdStartError extends Error {
  constructor(
    readonly code: IrcdStartErrorCode,
    message: string,
    readonly lastLines: string[] = [],
  ) {
    super(lastLines.length > 0 ? `${message}\nLast InspIRCd output:\n${lastLines.join("\n")}` : message);
    this.name = "IrcdStartError";
  }
}

const OUTPUT_LINES_KEPT = 30;
const MAX_RESTART_DELAY_MS = 30_000;
/** A server that ran this long before dying is restarted at once, as a fresh failure. */
const HEALTHY_RUN_MS = 60_000;

/**
 * InspIRCd as a supervised child process: `start()` renders the config into `dir`, spawns
 * `inspircd --nofork` and resolves once the public and gateway ports accept connections; if the
 * server later dies it is restarted with backoff; `close()` stops it (SIGTERM, then SIGKILL).
 * InspIRCd's console output and its log file (`<dir>/ircd.log`) go to `log`.
 */
export class IrcdProcess {
  readonly dir: string;
  readonly configPath: string;
  /** InspIRCd's log file, read back into `log` while the server runs. */
  readonly logPath: string;
  private readonly log: Logger;
  private child: ChildProcess | null = null;
  private lastLines: string[] = [];
  private isClosing = false;
  private failures = 0;
  /** Times the server died and was started again since start(). */
  restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Called when the starting server prints that it runs (after its modules loaded). */
  private onRunning: () => void = () => {};

  constructor(private readonly options: IrcdProcessOptions) {
    this.dir = resolve(options.dir);
    this.configPath = join(this.dir, "inspircd.conf");
    this.logPath = join(this.dir, "ircd.log");
    this.log = options.log.child({ component: "ircd" });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get publicPort(): number {
    return this.options.config.publicPort ?? IRCD_DEFAULT_PORTS.publicPort;
  }

  get tlsPort(): number {
    return this.options.config.tlsPort ?? IRCD_DEFAULT_PORTS.tlsPort;
  }

  get gatewayPort(): number {
    return this.options.config.gatewayPort ?? IRCD_DEFAULT_PORTS.gatewayPort;
  }

  get serverPort(): number {
    return this.options.config.serverPort ?? IRCD_DEFAULT_PORTS.serverPort;
  }

  /** Whether the server runs and its gateway port takes connections (the gateways can log in). */
  async isServing(): Promise<boolean> {
    if (!this.child) return false;
    return canConnect(connectHost(this.options.config.gatewayBindHost ?? "127.0.0.1"), this.gatewayPort);
  }

  async start(): Promise<void> {
    this.isClosing = false;
    this.failures = 0;
    await this.launch();
  }

  private async launch(): Promise<void> {
    const binaryPath = this.options.binaryPath ?? DEFAULT_INSPIRCD_PATH;
    if (!(await isExecutable(binaryPath))) {
      throw new IrcdStartError(
        "NOT_INSTALLED",
        `InspIRCd is not installed at ${binaryPath} (Debian/Ubuntu: apt-get install inspircd), or set INSPIRCD_PATH`,
      );
    }
    await this.writeFiles();
    await this.stopStaleServer();
    await this.assertPortsFree();
    // close() during a restart's preparation finds no child to stop: do not start one after it.
    if (this.isClosing) return;
    await this.spawnAndWait(binaryPath);
  }

  async close(): Promise<void> {
    this.isClosing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (!child) return;
    await stopChild(child, this.options.stopTimeoutMs ?? 5_000);
    this.log.info({ ircdPid: child.pid }, "ircd stopped");
  }

  private async writeFiles(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const extraModulePaths = [
      ...(await this.buildRelaycastModules()),
      ...(this.options.extraModulePaths ?? []),
    ];
    const moduleDir = join(this.dir, "modules");
    await linkModules(
      moduleDir,
      this.options.systemModuleDir ?? DEFAULT_INSPIRCD_MODULE_DIR,
      extraModulePaths,
    );
    const tls =
      this.options.tls ??
      (await ensureTlsCertificate({
        dir: join(this.dir, "tls"),
        commonName: this.options.config.serverName ?? "irc.relaycast.local",
      }).catch((error: unknown) => {
        throw new IrcdStartError("NOT_INSTALLED", (error as Error).message);
      }));
    const config = renderIrcdConfig({
      ...this.options.config,
      tls,
      runDir: this.dir,
      logFile: this.logPath,
      motdFile: join(this.dir, "motd.txt"),
      moduleDir,
      extraModules: extraModulePaths.map((path) => basename(path).replace(/^m_/, "").replace(/\.so$/, "")),
    });
    await writeFile(join(this.dir, "motd.txt"), `${motd(this.tlsPort)}\n`);
    // The config holds the database and link passwords.
    await writeFile(this.configPath, config, { mode: 0o600 });
    await chmod(this.configPath, 0o600);
  }

  /**
   * Without the nick guard a client could take any platform user's name, without the cloak every
   * viewer's IP would be public: the server does not start without these modules.
   */
  private async buildRelaycastModules(): Promise<string[]> {
    try {
      const built: string[] = [];
      for (const sourcePath of RELAYCAST_MODULE_SOURCES) {
        built.push(
          await buildIrcdModule({
            sourcePath,
            outDir: this.options.moduleBuildDir ?? join(this.dir, "build"),
            includeDir: this.options.includeDir,
          }),
        );
      }
      return built;
    } catch (error) {
      throw new IrcdStartError("NOT_INSTALLED", (error as Error).message);
    }
  }

  /** An inspircd left running by a previous run of this instance (its parent was killed) holds the ports. */
  private async stopStaleServer(): Promise<void> {
    const pidFile = join(this.dir, "inspircd.pid");
    const pid = Number.parseInt(await readFile(pidFile, "utf8").catch(() => ""), 10);
    if (!Number.isInteger(pid) || pid <= 0 || pid === this.child?.pid) return;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (!cmdline.split("\0").includes(this.configPath)) return;
    this.log.warn({ ircdPid: pid }, "stopping an ircd left over from a previous run");
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + (this.options.stopTimeoutMs ?? 5_000);
    while (Date.now() < deadline && (await isProcessRunning(pid))) await delay(50);
    if (await isProcessRunning(pid)) process.kill(pid, "SIGKILL");
    await rm(pidFile, { force: true });
  }

  private async assertPortsFree(): Promise<void> {
    const { config } = this.options;
    const bindHost = config.bindHost ?? "127.0.0.1";
    const listeners: Array<[string, number]> = [
      [bindHost, this.publicPort],
      [bindHost, this.tlsPort],
      [config.gatewayBindHost ?? "127.0.0.1", this.gatewayPort],
      [bindHost, this.serverPort],
    ];
    for (const [host, port] of listeners) {
      if (!(await isPortFree(host === "*" ? "0.0.0.0" : host, port))) {
        throw new IrcdStartError(
          "PORT_IN_USE",
          `Cannot start the IRC server: ${host}:${port} is already in use (is another IRC server running?). Stop it or choose another port.`,
        );
      }
    }
  }

  private async spawnAndWait(binaryPath: string): Promise<void> {
    const args = ["--config", this.configPath, "--nofork"];
    if (process.getuid?.() === 0) args.push("--runasroot");
    const startedAt = Date.now();
    this.lastLines = [];
    // Node's stdio pipes are sockets, which InspIRCd cannot open as /dev/stdout: it logs to a file.
    await writeFile(this.logPath, "");
    const [command = "/bin/sh", ...prefixArgs] = [...(this.options.launchPrefix ?? []), "/bin/sh"];
    // Debian's InspIRCd 3.15 with m_ssl_gnutls (the TLS port) segfaults in its exit path after it
    // has said goodbye to every client, on every stop: without core dumps, that leaves no 2 MB core
    // file behind each time. The shell execs the server, so the pid is InspIRCd's. Its configuration
    // is its config file: it inherits no variable (and so no secret) of the caller.
    const shell = ["-c", 'unset PWD; ulimit -c 0 && exec "$0" "$@"', binaryPath];
    const child = spawn(command, [...prefixArgs, ...shell, ...args], {
      cwd: this.dir,
      env: {},
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const tail = new LogTail(this.logPath, (line) => this.onOutputLine(child, line));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
      child.once("exit", (code, signal) => resolveExit({ code, signal })),
    );
    const spawnFailed = new Promise<Error>((resolveError) => child.once("error", resolveError));
    this.forwardOutput(child);
    this.log.info({ ircdPid: child.pid, config: this.configPath }, "ircd started");

    void exited.then(() => tail.close());
    const readyTimeoutMs = this.options.readyTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolveTimeout) => {
      timer = setTimeout(resolveTimeout, readyTimeoutMs);
    });
    // Listening is not enough: InspIRCd binds its ports before it loads modules, and a module that
    // fails to load makes it exit after that. It is up once it says it is running.
    const isRunning = new Promise<void>((resolveRunning) => {
      this.onRunning = resolveRunning;
    });
    const outcome = await Promise.race([
      Promise.all([this.waitForPorts(child), isRunning]).then(() => ({ kind: "ready" as const })),
      exited.then((exit) => ({ kind: "exited" as const, ...exit })),
      spawnFailed.then((error) => ({ kind: "error" as const, error })),
      timedOut.then(() => ({ kind: "timeout" as const })),
    ]);
    clearTimeout(timer);
    if (outcome.kind !== "ready") {
      // A binary that could not be spawned may never emit "exit".
      if (outcome.kind === "timeout") await stopChild(child, 2_000);
      else if (outcome.kind === "exited") await exited;
      this.child = null;
      await tail.close();
      await flushOutput();
      const lastLines = [...this.lastLines];
      if (outcome.kind === "error") {
        throw new IrcdStartError(
          "NOT_INSTALLED",
          `Cannot run ${binaryPath}: ${outcome.error.message}`,
          lastLines,
        );
      }
      if (outcome.kind === "exited") {
        throw new IrcdStartError(
          "EXITED",
          `InspIRCd exited during startup (code ${outcome.code ?? "none"}, signal ${outcome.signal ?? "none"})`,
          lastLines,
        );
      }
      throw new IrcdStartError(
        "TIMEOUT",
        `InspIRCd did not open its ports within ${readyTimeoutMs} ms`,
        lastLines,
      );
    }
    this.log.info(
      {
        ircdPid: child.pid,
        publicPort: this.publicPort,
        tlsPort: this.tlsPort,
        gatewayPort: this.gatewayPort,
        serverPort: this.serverPort,
      },
      "ircd ready",
    );
    void exited.then(({ code, signal }) => this.onExit(child, startedAt, code, signal));
  }

  private onExit(
    child: ChildProcess,
    startedAt: number,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    if (this.child === child) this.child = null;
    if (this.isClosing) return;
    this.failures = Date.now() - startedAt > HEALTHY_RUN_MS ? 1 : this.failures + 1;
    this.restarts += 1;
    const delayMs = this.restartDelayMs();
    this.log.error(
      { code, signal, delayMs, lastLines: this.lastLines.slice(-10) },
      "ircd exited; restarting",
    );
    this.scheduleRestart(delayMs);
  }

  private scheduleRestart(delayMs: number): void {
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.isClosing) return;
      this.launch().catch((error: unknown) => {
        if (this.isClosing) return;
        this.failures += 1;
        const nextDelayMs = this.restartDelayMs();
        this.log.error({ err: error, delayMs: nextDelayMs }, "ircd restart failed; retrying");
        this.scheduleRestart(nextDelayMs);
      });
    }, delayMs);
  }

  /** 0.5 s after the first failure in a row, doubling up to 30 s. */
  private restartDelayMs(): number {
    return Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** (this.failures - 1));
  }

  private forwardOutput(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) =>
        this.onOutputLine(child, line),
      );
    }
  }

  private onOutputLine(child: ChildProcess, raw: string): void {
    // The console's progress dots share lines with log lines.
    const line = raw.replace(/^(Loading core modules )?\.+/, "").trimEnd();
    if (!line) return;
    if (line.startsWith("InspIRCd is now running as")) this.onRunning();
    const parsed = parseLogLine(line);
    const isNoise =
      parsed.source === "MODULE" ||
      line.startsWith("[*] Loading module") ||
      line.startsWith("Loading core modules");
    if (!isNoise) {
      this.lastLines.push(line);
      if (this.lastLines.length > OUTPUT_LINES_KEPT) this.lastLines.shift();
    }
    this.log[isNoise ? "debug" : "info"](
      { ircdPid: child.pid, source: parsed.source, line: parsed.message },
      "ircd output",
    );
  }

  private async waitForPorts(child: ChildProcess): Promise<void> {
    const { config } = this.options;
    const targets: Array<[string, number]> = [
      [connectHost(config.bindHost ?? "127.0.0.1"), this.publicPort],
      [connectHost(config.bindHost ?? "127.0.0.1"), this.tlsPort],
      [connectHost(config.gatewayBindHost ?? "127.0.0.1"), this.gatewayPort],
    ];
    for (const [host, port] of targets) {
      while (!(await canConnect(host, port))) {
        if (child.exitCode !== null || child.signalCode !== null || this.child !== child)
          return new Promise(() => {});
        await delay(50);
      }
    }
  }
}

/** InspIRCd's log line "Tue Nov 24 2026 15:57:10 MODULE: text" split into source and message. */
export function parseLogLine(line: string): { source: string | undefined; message: string } {
  const match = /^\w{3} \w{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2} ([A-Za-z0-9_]+): (.*)$/.exec(line);
  return match ? { source: match[1], message: match[2] ?? "" } : { source: undefined, message: line };
}

/** `<moduleDir>` with a link to every system module plus the extra ones (<path:moduledir> replaces the whole directory). */
async function linkModules(
  moduleDir: string,
  systemModuleDir: string,
  extraModulePaths: string[],
): Promise<void> {
  await rm(moduleDir, { recursive: true, force: true });
  await mkdir(moduleDir, { recursive: true });
  const systemModules = (await readdir(systemModuleDir)).filter((name) => name.endsWith(".so"));
  for (const name of systemModules) await symlink(join(systemModuleDir, name), join(moduleDir, name));
  for (const path of extraModulePaths) {
    const name = basename(path);
    if (!/^m_[a-z0-9_]+\.so$/.test(name))
      throw new Error(`An extra IRC module must be named m_<name>.so: ${name}`);
    await rm(join(moduleDir, name), { force: true });
    await symlink(resolve(path), join(moduleDir, name));
  }
}

function stopChild(child: ChildProcess, stopTimeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill("SIGTERM");
  });
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function isProcessRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie still answers signal 0.
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return !/^\d+ \(.*\) Z /.test(stat);
}

function connectHost(bindHost: string): string {
  return bindHost === "*" ? "127.0.0.1" : bindHost;
}

/** Lets readline deliver the last buffered lines of an exited child. */
function flushOutput(): Promise<void> {
  return delay(20);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}

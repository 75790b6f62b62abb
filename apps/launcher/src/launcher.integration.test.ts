import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { IrcTestClient } from "@relaycast/chat/testing";
import { freePort } from "@relaycast/config";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOCAL_CLUSTER } from "./local-cluster.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const LAUNCHER_DIR = resolve(REPO_ROOT, "apps/launcher");
/** Set in the launcher's environment, meant for no service. */
const OPERATOR_VARIABLE = "SOME_OPERATOR_TOKEN";

type Launcher = { child: ChildProcess; output: () => string; exited: Promise<number | null> };
type Ports = Record<string, number>;

let dataDir: string;
let ports: Ports;
const launchers: Launcher[] = [];
const blockers: Server[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "relaycast-launcher-"));
  ports = {};
  for (const name of [
    "WEB_PORT",
    "CHAT_PORT",
    "MEDIA_RTMP_PORT",
    "MEDIA_RTMPS_PORT",
    "MEDIA_HTTP_PORT",
    "EMBEDDED_DB_PORT",
  ]) {
    ports[name] = await freePort();
  }
  for (const name of ["IRC_PORT", "IRC_TLS_PORT", "IRC_GATEWAY_PORT", "IRC_SERVER_PORT"])
    ports[name] = await freePort();
});

afterEach(async () => {
  for (const blocker of blockers.splice(0)) await new Promise((done) => blocker.close(done));
  for (const launcher of launchers.splice(0)) {
    // The whole group: the launcher and anything it left.
    try {
      process.kill(-launcher.child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
    await launcher.exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** A free port whose next one is free too (freePort hands out ports in order, skipping taken ones). */
async function freePortWithNext(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if ((await freePort()) === port + 1) return port;
  }
}

function isAccepting(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/**
 * `npm start`'s launcher (`npm run cluster:local`'s with `cluster`), in its own process group;
 * InspIRCd is left out (INSPIRCD_PATH missing) unless `withIrcd`.
 */
function startLauncher({ withIrcd = false, cluster = false } = {}): Launcher {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/main.ts", ...(cluster ? ["--cluster"] : [])],
    {
      cwd: LAUNCHER_DIR,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        ...(!withIrcd && { INSPIRCD_PATH: "/nonexistent/inspircd" }),
        LOG_LEVEL: "info",
        [OPERATOR_VARIABLE]: "must-reach-no-service",
        ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      },
    },
  );
  let output = "";
  child.stdout!.on("data", (data: Buffer) => (output += data.toString()));
  child.stderr!.on("data", (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const launcher = { child, output: () => output, exited };
  launchers.push(launcher);
  return launcher;
}

/**
 * The launcher's children (each service, InspIRCd), with their working directory and arguments:
 * the launcher forks them all from its main thread, which lists them in its `children` file.
 */
async function childrenOf(pid: number): Promise<Array<{ pid: number; cwd: string; args: string[] }>> {
  const listed = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  const children = listed.split(" ").filter(Boolean).map(Number);
  return Promise.all(
    children.map(async (child) => ({
      pid: child,
      cwd: await readlink(`/proc/${child}/cwd`).catch(() => ""),
      args: (await readFile(`/proc/${child}/cmdline`, "utf8").catch(() => "")).split("\0"),
    })),
  );
}

/** A service's environment, read from /proc while its process runs (the web restarts without a build). */
async function serviceEnvironment(launcher: Launcher, service: string): Promise<Record<string, string>> {
  const cwd = resolve(REPO_ROOT, "apps", service);
  return waitFor(
    async () => {
      const process = (await childrenOf(launcher.child.pid!)).find((each) => each.cwd === cwd);
      if (!process) return undefined;
      const environ = await readFile(`/proc/${process.pid}/environ`, "utf8").catch(() => "");
      // A process that has just exited (the web restarts while it has no build) shows no environment.
      if (environ === "") return undefined;
      return Object.fromEntries(
        environ
          .split("\0")
          .filter(Boolean)
          .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
      );
    },
    90_000,
    `the ${service} process`,
  );
}

describe("the launcher", () => {
  it("gives each service its own configuration only, in a data folder only its owner can read", async () => {
    // As an earlier version left it.
    await chmod(dataDir, 0o755);
    const launcher = startLauncher();
    const [media, chat, web] = await Promise.all([
      serviceEnvironment(launcher, "media"),
      serviceEnvironment(launcher, "chat"),
      serviceEnvironment(launcher, "web"),
    ]);
    for (const env of [media, chat, web]) {
      expect(env).not.toHaveProperty(OPERATOR_VARIABLE);
      expect(env.DATABASE_URL).toMatch(/^postgresql:\/\//);
    }
    expect(media).not.toHaveProperty("WEB_AUTH_SECRET");
    expect(media).not.toHaveProperty("IRC_SECRET");
    expect(web).not.toHaveProperty("IRC_SECRET");
    expect(web.WEB_AUTH_SECRET).toBe(chat.WEB_AUTH_SECRET);
    expect(chat.IRC_SECRET).toHaveLength(43);
    expect(Object.keys(media).sort()).toEqual(
      [
        "DATABASE_URL",
        "DATA_DIR",
        "HOME",
        "LOG_LEVEL",
        "MEDIA_HTTP_PORT",
        "MEDIA_RTMP_PORT",
        "MEDIA_RTMPS_PORT",
        "MEDIA_RTMPS_CERT_FILE",
        "MEDIA_RTMPS_KEY_FILE",
        "NODE_ENV",
        "PATH",
      ].sort(),
    );

    // No other user may enter the data folder or any folder in it (PGlite's own files are 0666
    // whatever the umask, so it is the folders that keep them private), and what the launcher and
    // its services write is theirs only.
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    await waitFor(() => isAccepting(ports.MEDIA_RTMP_PORT!), 90_000, "the media node to listen");
    // RTMPS ingest, with a certificate made for this machine.
    await waitFor(() => isAccepting(ports.MEDIA_RTMPS_PORT!), 10_000, "the RTMPS listener");
    expect((await stat(media.MEDIA_RTMPS_KEY_FILE!)).mode & 0o777).toBe(0o600);
    expect(await foldersOpenToOthers(dataDir)).toEqual([]);
    const ownFiles = ["auth-secret", "irc-secret", "relaycast.pid", "media-node-id"];
    for (const name of ownFiles) expect((await stat(join(dataDir, name))).mode & 0o777).toBe(0o600);
  });

  it("leaves no child holding a port when it is killed with SIGKILL, and a new start says what is left", async () => {
    const first = startLauncher({ withIrcd: true });
    for (const name of ["MEDIA_RTMP_PORT", "CHAT_PORT", "IRC_PORT", "IRC_GATEWAY_PORT"]) {
      await waitFor(() => isAccepting(ports[name]!), 90_000, `${name} to listen`);
    }
    const children = await childrenOf(first.child.pid!);
    const ircd = children.find(({ args }) => args.includes("--nofork"));
    expect(ircd, "InspIRCd among the launcher's children").toBeDefined();
    // InspIRCd's configuration is its file: it inherits no variable, so no secret.
    expect(await readFile(`/proc/${ircd!.pid}/environ`, "utf8")).toBe("");

    first.child.kill("SIGKILL");
    await first.exited;
    await waitFor(
      async () => {
        const alive = children.filter(({ pid }) => isRunning(pid));
        const held = await Promise.all(Object.values(ports).map((port) => isAccepting(port)));
        return alive.length === 0 && !held.includes(true);
      },
      15_000,
      "every child of the killed launcher (InspIRCd too) to exit and free its ports",
    );

    // A stale run file (the launcher and its services are gone) does not stop the next start.
    const second = startLauncher();
    await waitFor(() => isAccepting(ports.MEDIA_RTMP_PORT!), 90_000, "the media node to listen again");
    expect(second.output()).toContain("the last run did not stop cleanly");
    // A third start, while the second runs, says so and exits instead of fighting over ports.
    const third = startLauncher();
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain(
      `Relaycast is already running from ${dataDir} (launcher pid ${second.child.pid})`,
    );
  });

  it("cluster:local runs compose's topology: two origins, two edges, two linked IRC servers with a chat gateway each", async () => {
    // The second IRC server and chat gateway take the port after each of the first's.
    for (const name of ["CHAT_PORT", "IRC_PORT", "IRC_TLS_PORT", "IRC_GATEWAY_PORT", "IRC_SERVER_PORT"])
      ports[name] = await freePortWithNext();
    const launcher = startLauncher({ withIrcd: true, cluster: true });
    const isReady = async (port: number) => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
    for (const node of LOCAL_CLUSTER) await waitFor(() => isReady(node.httpPort), 90_000, `${node.id} ready`);
    // Ready means connected to its IRC server, one gateway on each.
    for (const port of [ports.CHAT_PORT!, ports.CHAT_PORT! + 1])
      await waitFor(() => isReady(port), 60_000, `the chat gateway on ${port} ready`);
    await waitFor(() => isReady(ports.WEB_PORT!), 90_000, "the web app ready");
    expect(launcher.output()).toContain("irc2.relaycast.local");

    // The second server is linked to the first: a client of the first sees it in LINKS.
    const client = await IrcTestClient.connect({ port: ports.IRC_PORT!, nick: "guest-links" });
    try {
      await waitFor(
        async () => {
          const mark = client.mark();
          client.send("LINKS");
          await client.waitFor((line) => line.command === "365", { from: mark });
          return client.lines
            .slice(mark)
            .some((line) => line.command === "364" && line.params.includes("irc2.relaycast.local"));
        },
        30_000,
        "the two IRC servers to link",
      );
    } finally {
      await client.close();
    }

    launcher.child.kill("SIGTERM");
    expect(await launcher.exited).toBe(0);
  });

  it("refuses to start, saying which, while a port it needs is taken", async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((done) => blocker.listen(ports.MEDIA_HTTP_PORT, "127.0.0.1", done));
    const launcher = startLauncher();
    expect(await launcher.exited).toBe(1);
    expect(launcher.output()).toContain(`port ${ports.MEDIA_HTTP_PORT} (MEDIA_HTTP_PORT) is in use`);
  });

  it("reports a service that a killed launcher left running", async () => {
    // A service that outlived its launcher: a process recorded in the run file, still running.
    const leftover = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    try {
      await writeFile(
        join(dataDir, "relaycast.pid"),
        JSON.stringify({
          launcher: { pid: 999_999_999, startTime: null },
          services: { media: { pid: leftover.pid, startTime: await startTimeOf(leftover.pid!) } },
        }),
      );
      const launcher = startLauncher();
      expect(await launcher.exited).toBe(1);
      expect(launcher.output()).toContain(`left media (pid ${leftover.pid}) running`);
      expect(launcher.output()).toContain(`kill ${leftover.pid}`);
    } finally {
      leftover.kill("SIGKILL");
    }
  });

  it("serves the embedded database only with the generated password", async () => {
    const launcher = startLauncher();
    const { DATABASE_URL: url } = await serviceEnvironment(launcher, "media");
    const withPassword = new pg.Client({ connectionString: url });
    await withPassword.connect();
    try {
      expect((await withPassword.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await withPassword.end();
    }
    for (const password of [undefined, "wrong"]) {
      const client = new pg.Client({
        host: "127.0.0.1",
        port: ports.EMBEDDED_DB_PORT,
        user: "postgres",
        database: "postgres",
        ...(password && { password }),
      });
      await expect(client.connect()).rejects.toThrow();
      await client.end().catch(() => {});
    }
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startTimeOf(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
}

/** The folders under `dir` that a group or other users may read, write or enter. */
async function foldersOpenToOthers(dir: string): Promise<string[]> {
  const open: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    const mode = (await stat(path).catch(() => null))?.mode;
    if (mode !== undefined && (mode & 0o077) !== 0) open.push(path);
  }
  return open;
}

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "@relaycast/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePorts, IrcTestClient } from "../testing/index.ts";
import { deriveIrcCredentials } from "./irc-credentials.ts";
import { IrcdProcess, IrcdStartError, type IrcdProcessOptions } from "./ircd-process.ts";

// sqlauth is not exercised here: the server starts and serves guests even with the database unreachable.
const DATABASE_URL = "postgresql://postgres@127.0.0.1:1/unreachable";
const credentials = deriveIrcCredentials("ircd-process-test-secret");

let tempDir: string;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), "relaycast-ircd-process-"));
});

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return {
    log: createLogger({ name: "test", level: "debug", destination: sink }),
    output: () => lines.join(""),
  };
}

async function processOptions(
  name: string,
  overrides: Partial<IrcdProcessOptions> = {},
): Promise<IrcdProcessOptions> {
  return {
    dir: join(tempDir, name),
    log: createLogger({ name: "test", level: "silent" }),
    config: { credentials, databaseUrl: DATABASE_URL, ...(await findFreePorts()) },
    ...overrides,
  };
}

describe.concurrent("IrcdProcess", () => {
  it("runs InspIRCd with a private config, forwards its log without secrets, restarts it when it dies, and stops it", async () => {
    const { log, output } = capturedLogger();
    const ircd = new IrcdProcess(await processOptions("lifecycle", { log }));
    await ircd.start();
    try {
      expect((await stat(ircd.configPath)).mode & 0o777).toBe(0o600);
      const guest = await IrcTestClient.connect({ port: ircd.publicPort, nick: "guest-one" });
      await guest.close();

      const firstPid = ircd.pid;
      process.kill(firstPid!, "SIGKILL");
      await waitUntil(
        async () => ircd.pid !== undefined && ircd.pid !== firstPid && (await canRegister(ircd.publicPort)),
      );
    } finally {
      await ircd.close();
    }
    expect(ircd.pid).toBeUndefined();
    const logged = output();
    expect(logged).toContain('"msg":"ircd ready"');
    expect(logged).toContain('"msg":"ircd exited; restarting"');
    expect(logged).toContain("Startup complete as 'irc.relaycast.local'[0AA]");
    for (const secret of Object.values(credentials)) {
      if (secret !== credentials.operName) expect(logged).not.toContain(secret);
    }
  });

  it("explains a missing binary", async () => {
    const ircd = new IrcdProcess(await processOptions("missing", { binaryPath: "/nonexistent/inspircd" }));
    const error = await ircd.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IrcdStartError);
    expect((error as IrcdStartError).code).toBe("NOT_INSTALLED");
    expect((error as Error).message).toContain("apt-get install inspircd");
  });

  it("refuses a port that is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const options = await processOptions("port-taken");
      const ircd = new IrcdProcess({ ...options, config: { ...options.config, gatewayPort: port } });
      const error = await ircd.start().catch((caught: unknown) => caught);
      expect((error as IrcdStartError).code).toBe("PORT_IN_USE");
      expect((error as Error).message).toContain(`127.0.0.1:${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("reports a server that exits during startup with its last output lines", async () => {
    const bogusModule = join(tempDir, "m_bogus.so");
    await writeFile(bogusModule, "not a shared object");
    const ircd = new IrcdProcess(await processOptions("bad-module", { extraModulePaths: [bogusModule] }));
    const error = await ircd.start().catch((caught: unknown) => caught);
    expect((error as IrcdStartError).code).toBe("EXITED");
    expect((error as Error).message).toContain("InspIRCd exited during startup");
    expect((error as IrcdStartError).lastLines.join("\n")).toContain("m_bogus.so");
  });

  it("replaces an InspIRCd left running by a previous run of the same instance", async () => {
    const options = await processOptions("stale");
    const first = new IrcdProcess(options);
    await first.start();
    await first.close();
    // The same command line, left running as if its parent had crashed.
    const stale = spawn(
      "/usr/sbin/inspircd",
      ["--config", first.configPath, "--nofork", ...(process.getuid?.() === 0 ? ["--runasroot"] : [])],
      { cwd: first.dir, stdio: "ignore" },
    );
    const staleExit = new Promise((resolve) => stale.once("exit", resolve));
    await waitUntil(async () => canRegister(first.publicPort));
    const second = new IrcdProcess(options);
    try {
      await second.start();
      await staleExit;
      expect(second.pid).not.toBe(stale.pid);
      expect(await readFile(join(second.dir, "inspircd.pid"), "utf8")).toContain(String(second.pid));
    } finally {
      await second.close();
      stale.kill("SIGKILL");
    }
  });
});

async function canRegister(port: number): Promise<boolean> {
  try {
    const client = await IrcTestClient.connect({
      port,
      nick: `guest-${Date.now() % 100000}`,
      timeoutMs: 3_000,
    });
    await client.close();
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("condition not met in time");
}

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@relaycast/logger";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SupervisedProcess } from "./supervised-process.ts";

const log = createLogger({ name: "launcher-test", level: "silent" });

/** A child that appends its pid to a file, then either exits at once or waits for a signal. */
function childScript(startsFile: string, behaviour: "crash" | "wait" | "ignore-sigterm"): string[] {
  const body = {
    crash: "process.exit(3);",
    wait: "setInterval(() => {}, 1000);",
    "ignore-sigterm": "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);",
  }[behaviour];
  return ["-e", `require('fs').appendFileSync(${JSON.stringify(startsFile)}, process.pid + '\\n'); ${body}`];
}

async function startsRecorded(startsFile: string): Promise<number> {
  const text = await readFile(startsFile, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).length;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("SupervisedProcess", () => {
  let dir: string;
  let startsFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "relaycast-supervise-"));
    startsFile = join(dir, "starts");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function supervise(behaviour: "crash" | "wait" | "ignore-sigterm", stopTimeoutMs?: number) {
    return new SupervisedProcess({
      name: "child",
      command: process.execPath,
      args: childScript(startsFile, behaviour),
      env: process.env,
      cwd: dir,
      log,
      stopTimeoutMs,
    });
  }

  it("restarts a child that exits, and stops restarting once closed", async () => {
    const child = supervise("crash");
    child.start();
    await waitFor(async () => (await startsRecorded(startsFile)) >= 3);
    await child.close();
    const startsAtClose = await startsRecorded(startsFile);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await startsRecorded(startsFile)).toBe(startsAtClose);
  });

  it("stops a running child with SIGTERM and waits for it to exit", async () => {
    const child = supervise("wait");
    child.start();
    await waitFor(async () => (await startsRecorded(startsFile)) === 1);
    const pid = Number((await readFile(startsFile, "utf8")).trim());
    await child.close();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("kills a child that ignores SIGTERM once the stop timeout passes", async () => {
    const child = supervise("ignore-sigterm", 300);
    child.start();
    await waitFor(async () => (await startsRecorded(startsFile)) === 1);
    const pid = Number((await readFile(startsFile, "utf8")).trim());
    await child.close();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});

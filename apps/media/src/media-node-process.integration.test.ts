import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { killAllTestProcesses, publishTestStream, seedPublisher, waitFor } from "@relaycast/media/testing";
import { afterEach, describe, expect, it } from "vitest";
import { startMediaProcess, stopMediaProcesses } from "./testing/index.ts";

const testDb = useTestDb();

afterEach(async () => {
  await killAllTestProcesses();
  await stopMediaProcesses();
});

const startMedia = (env: Record<string, string> = {}) =>
  startMediaProcess({ databaseUrl: testDb.databaseUrl(), env });

/** The processes whose parent is `pid`, with their command lines. */
async function childrenOf(pid: number): Promise<{ pid: number; args: string[] }[]> {
  const children = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid !== pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    children.push({ pid: Number(entry), args: cmdline.split("\0") });
  }
  return children;
}

/** The names of the variables in a running process's environment. */
async function environmentNames(pid: number): Promise<string[]> {
  const environ = await readFile(`/proc/${pid}/environ`, "utf8");
  return environ
    .split("\0")
    .filter(Boolean)
    .map((entry) => entry.slice(0, entry.indexOf("=")))
    .sort();
}

/** The environment of the first child of `parent` whose arguments include `marker`, read while it runs. */
async function sidecarEnvironment(parent: number, marker: string): Promise<string[]> {
  return waitFor(
    async () => {
      const child = (await childrenOf(parent)).find(({ args }) => args.includes(marker));
      return child ? await environmentNames(child.pid) : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 20, message: `an ffmpeg child running with ${marker}` },
  );
}

describe("the ffmpeg sidecars of a media node", () => {
  it("get PATH and nothing else: no secret, no database URL", async () => {
    const media = await startMedia({
      WEB_AUTH_SECRET: "web-auth-secret-that-must-not-reach-ffmpeg-000",
      IRC_SECRET: "irc-secret-that-must-not-reach-ffmpeg-00000000000",
      MEDIA_THUMBNAIL_INTERVAL_MS: "1000",
    });
    const { streamKey } = await seedPublisher(testDb.db());
    publishTestStream(`rtmp://127.0.0.1:${media.rtmpPort}/live/${streamKey}`);
    const parent = media.child.pid!;
    // The HLS packager (`-f hls`) and a thumbnail grab (`-f image2`), each read while it runs.
    expect(await sidecarEnvironment(parent, "hls")).toEqual(["PATH"]);
    expect(await sidecarEnvironment(parent, "image2")).toEqual(["PATH"]);
  });
});

describe("a media node killed with SIGKILL", () => {
  it("leaves no channel live: another node closes its broadcasts within 10 s", async () => {
    const doomed = await startMedia();
    await startMedia();
    const db = testDb.db();
    const { channel, streamKey } = await seedPublisher(db);
    publishTestStream(`rtmp://127.0.0.1:${doomed.rtmpPort}/live/${streamKey}`);
    const broadcast = await waitFor(
      () => db.broadcast.findFirst({ where: { channelId: channel.id, endedAt: null } }),
      { timeoutMs: 20_000, message: "the broadcast to open" },
    );
    // The id the node generated into its data folder, not the host name.
    const nodeId = (await readFile(join(doomed.dataDir, "media-node-id"), "utf8")).trim();
    expect(broadcast.originNode).toBe(nodeId);
    expect((await db.channel.findUniqueOrThrow({ where: { id: channel.id } })).liveState).toBe("live");

    doomed.child.kill("SIGKILL");
    const killedAt = Date.now();
    await waitFor(
      async () => {
        const [row, { liveState }] = await Promise.all([
          db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } }),
          db.channel.findUniqueOrThrow({ where: { id: channel.id } }),
        ]);
        return row.endedAt !== null && liveState === "offline";
      },
      { timeoutMs: 10_000, intervalMs: 100, message: "the dead node's broadcast to close" },
    );
    expect(Date.now() - killedAt).toBeLessThan(10_000);
  });
});

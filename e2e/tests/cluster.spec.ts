import { test as base, expect, type Page } from "@playwright/test";
import type { EncoderPool } from "../support/broadcaster.ts";
import { createBroadcaster, encodersFixture } from "../support/broadcaster.ts";
import { startClusterSite, type ClusterSite } from "../support/cluster-site.ts";
import { expectVideoPlays } from "../support/video.ts";

/**
 * The web player in a cluster: a broadcaster gets an origin from the director, a viewer gets an edge,
 * and when that edge dies the player goes back to the director and plays from the other edge, in
 * the same page. The site runs one origin and two edges (see support/cluster-site.ts).
 */
const test = base.extend<{ encoders: EncoderPool }, { site: ClusterSite }>({
  site: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const site = await startClusterSite();
      try {
        await use(site);
      } finally {
        await site.close();
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
  encoders: encodersFixture,
});

const player = (page: Page) => page.locator(".live-player");

type NodeStream = { viewers: { total: number }; relaySubscribers: { node: string }[] };

/** A media node's view of the channel (its own API), or null when the channel is not there. */
async function nodeStream(url: string): Promise<NodeStream | null> {
  const response = await fetch(url).catch(() => null);
  return response?.ok ? ((await response.json()) as NodeStream) : null;
}

test("edge failover: the viewer's edge is killed, the player asks the director again and plays from the other edge within 5 s, without a reload", async ({
  browser,
  page,
  encoders,
  site,
}) => {
  test.setTimeout(90_000);
  const broadcaster = await createBroadcaster(browser, { prefix: "cluster" });
  const { channel, streamKey } = broadcaster;

  // The broadcaster asks the director where to publish: the cluster's only origin.
  const ingest = (await (await fetch(`${site.webUrl}/api/v1/ingest`)).json()) as { rtmpUrl: string };
  expect(ingest.rtmpUrl).toBe(site.origin.rtmpUrl("live"));
  encoders.publish({ ...broadcaster, ingestUrl: `${ingest.rtmpUrl}/${streamKey}` });
  const originStream = () => nodeStream(site.origin.httpUrl(`/api/v1/streams/${channel}`));
  await expect.poll(async () => (await originStream()) !== null, { timeout: 15_000 }).toBe(true);

  // The viewer plays from the edge the director picked.
  await page.goto(`${site.webUrl}/${channel}`);
  await expectVideoPlays(page);
  await expect(player(page)).toHaveAttribute("data-state", "playing");
  const watchedEdge = async () => {
    for (const edge of site.edges) {
      if (!edge.isRunning) continue;
      if ((await nodeStream(edge.httpUrl(`/api/v1/streams/${channel}`)))?.viewers.total === 1) return edge;
    }
    return undefined;
  };
  await expect.poll(async () => (await watchedEdge())?.spec.id, { timeout: 10_000 }).toBeDefined();
  const first = (await watchedEdge())!;
  const other = site.edges.find((edge) => edge !== first)!;

  // Marks this document (a reload would lose it), records the player's states, and notes the first
  // `playing` after the next source starts loading.
  await player(page).evaluate((element: HTMLElement) => {
    const w = window as unknown as { __states: string[]; __playingAgainAt?: number };
    w.__states = [element.dataset.state ?? ""];
    new MutationObserver(() => w.__states.push(element.dataset.state ?? "")).observe(element, {
      attributes: true,
      attributeFilter: ["data-state"],
    });
    const video = element.querySelector("video")!;
    video.addEventListener(
      "loadstart",
      () => video.addEventListener("playing", () => (w.__playingAgainAt = Date.now()), { once: true }),
      { once: true },
    );
  });

  await first.kill("SIGKILL");
  const killedAt = Date.now();
  const playingAgainAt = await page
    .waitForFunction(() => (window as unknown as { __playingAgainAt?: number }).__playingAgainAt, undefined, {
      timeout: 15_000,
    })
    .then((handle) => handle.jsonValue() as Promise<number>);
  const outageMs = playingAgainAt - killedAt;
  test
    .info()
    .annotations.push({ type: "edge failover", description: `playing again ${outageMs} ms after the kill` });
  process.stdout.write(`      edge failover: playing again ${outageMs} ms after the kill\n`);
  expect(outageMs, "the viewer plays again within 5 s of the edge's death").toBeLessThan(5_000);

  await expectVideoPlays(page);
  await expect(player(page)).toHaveAttribute("data-state", "playing");
  const states = await page.evaluate(() => (window as unknown as { __states: string[] }).__states);
  expect(states, "the same document (no reload) showed Reconnecting, then played").toEqual(
    expect.arrayContaining(["retrying"]),
  );
  expect(states.at(-1)).toBe("playing");
  // The viewer is on the other edge now, and the origin relays the channel to that edge alone.
  await expect
    .poll(async () => (await nodeStream(other.httpUrl(`/api/v1/streams/${channel}`)))?.viewers.total, {
      timeout: 10_000,
    })
    .toBe(1);
  await expect
    .poll(async () => (await originStream())?.relaySubscribers.map((subscriber) => subscriber.node), {
      timeout: 10_000,
    })
    .toEqual([other.spec.id]);
});

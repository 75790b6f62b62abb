import type { NodeRecord } from "@relaycast/media/cluster";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterMediaOrigins } from "./cluster-media-origins.ts";
import { contentSecurityPolicy } from "./security-headers.ts";

const started: ClusterMediaOrigins[] = [];
afterEach(async () => {
  for (const origins of started.splice(0)) await origins.close();
});

const record = (httpUrl: string) => ({ httpUrl }) as NodeRecord;
const quiet = { warn: () => {} };

async function start(options: ConstructorParameters<typeof ClusterMediaOrigins>[0]) {
  const origins = new ClusterMediaOrigins(options);
  started.push(origins);
  await origins.start();
  return origins;
}

describe("ClusterMediaOrigins", () => {
  it("lists each media node's HTTP origin once, before the first request, and follows the registry", async () => {
    let nodes = [
      record("http://edge-b.test:8000/"),
      record("https://edge-a.test"),
      record("http://edge-b.test:8000"),
    ];
    const origins = await start({ source: { nodes: async () => nodes }, log: quiet, refreshMs: 20 });
    expect(origins.current()).toEqual(["http://edge-b.test:8000", "https://edge-a.test"]);
    nodes = [record("http://edge-c.test:8000")];
    await expect.poll(() => origins.current()).toEqual(["http://edge-c.test:8000"]);
  });

  it("keeps the last list when the registry cannot be read, and says so", async () => {
    let isDown = false;
    const warnings: string[] = [];
    const origins = await start({
      source: {
        nodes: async () => {
          if (isDown) throw new Error("Redis is unavailable");
          return [record("http://edge-a.test:8000")];
        },
      },
      log: { warn: (_fields, message) => warnings.push(message) },
      refreshMs: 20,
    });
    isDown = true;
    await expect.poll(() => warnings.length).toBeGreaterThan(0);
    expect(origins.current()).toEqual(["http://edge-a.test:8000"]);
  });
});

describe("contentSecurityPolicy in a cluster", () => {
  it("lets media, images and connections reach every node (ws and wss too) and nothing else", () => {
    const policy = contentSecurityPolicy({
      nonce: "n",
      mediaOrigins: ["http://edge-a.test:8000", "https://edge-b.test"],
      isDev: false,
    });
    const directive = (name: string) => policy.split("; ").find((part) => part.startsWith(`${name} `));
    expect(directive("connect-src")).toBe(
      "connect-src 'self' http://edge-a.test:8000 https://edge-b.test ws://edge-a.test:8000 wss://edge-b.test",
    );
    expect(directive("media-src")).toBe("media-src 'self' blob: http://edge-a.test:8000 https://edge-b.test");
    expect(directive("img-src")).toBe(
      "img-src 'self' data: blob: http://edge-a.test:8000 https://edge-b.test",
    );
    expect(directive("default-src")).toBe("default-src 'self'");
  });
});

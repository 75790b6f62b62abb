import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LONG_RUNNING = [
  "postgres",
  "redis",
  "ircd-1",
  "ircd-2",
  "web",
  "chat-1",
  "chat-2",
  "origin-1",
  "origin-2",
  "edge-1",
  "edge-2",
  "proxy",
];
const ONE_SHOT = ["migrate"];

type TComposeService = { healthcheck?: { test?: unknown; disable?: boolean } };

/** `docker-compose config` at the repository root; it exits non-zero (and this throws) on an invalid file. */
function dockerCompose(...args: string[]): string {
  return execFileSync("docker-compose", ["config", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("docker-compose.yml", () => {
  it("passes docker-compose config -q", () => {
    expect(() => dockerCompose("-q")).not.toThrow();
  });

  it("runs every service of the cluster, and a health check in each long-running one", () => {
    // docker-compose 1.x prints YAML only (2.x also has --format json); the same parser reads both.
    const { services } = parse(dockerCompose()) as { services: Record<string, TComposeService> };
    expect(Object.keys(services)).toEqual(expect.arrayContaining([...LONG_RUNNING, ...ONE_SHOT]));
    const unchecked = LONG_RUNNING.filter((name) => {
      const healthcheck = services[name]?.healthcheck;
      return !healthcheck?.test || healthcheck.disable === true;
    });
    expect(unchecked).toEqual([]);
  });
});

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "@relaycast/media/testing";
import { stopChild } from "../shared/spawn-ts.ts";

const WEB_DIR = fileURLToPath(new URL("../../../apps/web/", import.meta.url));

export type DrillWeb = { url: string; stop(): Promise<void> };

/**
 * The web app as `npm start` runs it (the production build), with its director reading the drill
 * cluster's registry. Hundreds of viewers ask it from one address here, so its per-IP API limit is
 * lifted; everything else is the default.
 */
export async function startDrillWeb({
  databaseUrl,
  registryEnv,
}: {
  databaseUrl: string;
  registryEnv: Record<string, string>;
}): Promise<DrillWeb> {
  await access(`${WEB_DIR}.next/BUILD_ID`).catch(() => {
    throw new Error("the web app is not built: run `npm run build` (or `npm start` once) first");
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: WEB_DIR,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      WEB_PORT: String(port),
      WEB_PUBLIC_URL: url,
      WEB_AUTH_SECRET: randomBytes(32).toString("base64url"),
      WEB_API_RATE_LIMIT_PER_MINUTE: "1000000",
      LOG_LEVEL: "warn",
      ...registryEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web app exited with code ${child.exitCode}`);
    const response = await fetch(`${url}/login`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (response?.ok) return { url, stop: () => stopChild(child) };
    await sleep(250);
  }
  await stopChild(child);
  throw new Error("the web app did not answer within 60 s");
}

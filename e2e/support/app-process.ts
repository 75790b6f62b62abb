import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = `${REPO_ROOT}node_modules/.bin/tsx`;

/** Spawns an app with tsx; the teardown stops it. */
export function startApp(
  teardown: Array<() => Promise<void>>,
  app: string,
  entry: string,
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const child = spawn(TSX, [entry], {
    cwd: `${REPO_ROOT}${app}`,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  teardown.push(() => stop(child));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

export async function waitForHttp(child: ChildProcess, url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: its process exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet, or something else holds the port and does not answer
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * A TCP port that is free on 127.0.0.1 now, for a child process to bind next.
 *
 * The port comes from just below the kernel's ephemeral range. A port taken with `listen(0)` and
 * released comes from that range, and any other socket on the machine (an outgoing connection, the
 * next `listen(0)`) can take it before the child binds it: with busy parallel tests, that happened.
 * Below the range, only someone choosing the same number can. Each process starts at a random
 * place and never hands out a port twice.
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = nextCandidate();
    if (await canBind(host, port)) return port;
  }
  throw new Error(`no free port found in ${RANGE.low}-${RANGE.high - 1}`);
}

const RANGE = portRangeBelowEphemeral();
const handedOut = new Set<number>();
let cursor = RANGE.low + Math.floor(Math.random() * (RANGE.high - RANGE.low));

function nextCandidate(): number {
  do {
    cursor = cursor + 1 >= RANGE.high ? RANGE.low : cursor + 1;
  } while (handedOut.has(cursor) && handedOut.size < RANGE.high - RANGE.low);
  handedOut.add(cursor);
  return cursor;
}

function portRangeBelowEphemeral(): { low: number; high: number } {
  const ephemeralLow = readEphemeralLow() ?? 32_768;
  const high = Math.max(ephemeralLow, 12_000);
  return { low: Math.max(1_024, high - 10_000), high };
}

function readEphemeralLow(): number | undefined {
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    const value = Number.parseInt(low ?? "", 10);
    return Number.isInteger(value) && value > 1_024 ? value : undefined;
  } catch {
    return undefined;
  }
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

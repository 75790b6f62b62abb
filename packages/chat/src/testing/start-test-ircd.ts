import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@relaycast/config";
import { createLogger, type Logger } from "@relaycast/logger";
import { deriveIrcCredentials, type IrcCredentials } from "../ircd/irc-credentials.ts";
import { IrcdProcess } from "../ircd/ircd-process.ts";
import type { TIrcdPeer } from "../ircd/render-ircd-config.ts";

export type TestIrcdPorts = { publicPort: number; tlsPort: number; gatewayPort: number; serverPort: number };

export type StartTestIrcdOptions = {
  /** The platform database sqlauth checks tokens against (e.g. from useTestDb()). */
  databaseUrl: string;
  /** Free ones are picked when omitted; pick them first with findFreePorts() to link two servers. */
  ports?: TestIrcdPorts;
  serverName?: string;
  serverId?: string;
  peers?: TIrcdPeer[];
  autoconnectPeriodSeconds?: number;
  /** Defaults to a random secret. Linked servers need the same one (shared link password). */
  secret?: string;
  /** e.g. the nick guard built by buildIrcdModule(). */
  extraModulePaths?: string[];
  binaryPath?: string;
  /** Defaults to a silent logger. */
  log?: Logger;
};

export type TestIrcd = TestIrcdPorts & {
  host: "127.0.0.1";
  serverName: string;
  credentials: IrcCredentials;
  process: IrcdProcess;
  /** Stops the server and deletes its directory. */
  close(): Promise<void>;
};

/** An InspIRCd on free loopback ports in a temporary directory, for integration tests. */
export async function startTestIrcd(options: StartTestIrcdOptions): Promise<TestIrcd> {
  const ports = options.ports ?? (await findFreePorts());
  const credentials = deriveIrcCredentials(options.secret ?? randomBytes(24).toString("hex"));
  const serverName = options.serverName ?? "irc.relaycast.local";
  const dir = await mkdtemp(join(tmpdir(), "relaycast-ircd-"));
  const ircd = new IrcdProcess({
    dir,
    log: options.log ?? createLogger({ name: "test-ircd", level: "silent" }),
    binaryPath: options.binaryPath,
    extraModulePaths: options.extraModulePaths,
    // One build shared by every test server (compiling takes seconds; the result is reused).
    moduleBuildDir: join(tmpdir(), "relaycast-ircd-modules"),
    config: {
      serverName,
      serverId: options.serverId ?? "0AA",
      credentials,
      databaseUrl: options.databaseUrl,
      ...ports,
      peers: options.peers,
      autoconnectPeriodSeconds: options.autoconnectPeriodSeconds ?? 1,
      maxConnections: 1024,
    },
  });
  try {
    await ircd.start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: "127.0.0.1",
    ...ports,
    serverName,
    credentials,
    process: ircd,
    close: async () => {
      await ircd.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Four distinct free loopback ports (free when asked; another process may take one before use). */
export async function findFreePorts(): Promise<TestIrcdPorts> {
  const [publicPort, tlsPort, gatewayPort, serverPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  return { publicPort, tlsPort, gatewayPort, serverPort };
}

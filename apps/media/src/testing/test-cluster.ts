import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createStreamRegistry, type StreamRegistry } from "@relaycast/media/cluster";
import {
  createTestNetwork,
  freePort,
  isListening,
  waitFor,
  type TestHost,
  type TestNetwork,
} from "@relaycast/media/testing";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));
const REDIS_PORT = 6379;
const POSTGRES_PORT = 5432;
/** MEDIA_DRAIN_TIMEOUT_MS of the test nodes: a stopped edge exits by then. */
export const DRAIN_TIMEOUT_MS = 10_000;

export type ClusterNodeSpec = {
  id: string;
  role: "origin" | "edge";
  /** Viewers before it sends new ones to a sibling. */
  capacityViewers?: number;
  /** Another cluster secret than the cluster's (a node that does not belong). */
  secret?: string;
};

/** A media node of a test cluster: `apps/media` in a process of its own, on a host of its own. */
export type TNodeExit = { code: number | null; signal: NodeJS.Signals | null };

export type ClusterNode = {
  spec: ClusterNodeSpec;
  host: TestHost;
  ports: { rtmp: number; http: number; relay: number };
  rtmpUrl(path: string): string;
  httpUrl(path: string): string;
  readonly isRunning: boolean;
  /** Sends the signal and waits for the process to exit; how it exited (null when it was not running). */
  kill(signal?: NodeJS.Signals): Promise<TNodeExit | null>;
  /** Starts the node again after a kill: same id, host, ports and data directory, as a rebooted host. */
  restart(): Promise<void>;
};

export type TestCluster = {
  network: TestNetwork;
  nodes: Map<string, ClusterNode>;
  /** The cluster's registry, read as the web's director reads it. */
  registry: StreamRegistry;
  /** Where a process on this machine (a web app, say) finds the registry: REDIS_URL and prefix. */
  registryEnv: { REDIS_URL: string; CLUSTER_REGISTRY_PREFIX: string };
  start(spec: ClusterNodeSpec): Promise<ClusterNode>;
  close(): Promise<void>;
};

/**
 * Media nodes on separate hosts (network namespaces where the machine allows, loopback ports
 * otherwise), sharing the test database and a registry prefix of their own in the machine's Redis.
 */
export async function startTestCluster({
  hosts,
  databaseUrl,
}: {
  hosts: number;
  databaseUrl: string;
}): Promise<TestCluster> {
  const network = await createTestNetwork(hosts);
  await network.forward(REDIS_PORT);
  await network.forward(POSTGRES_PORT);
  const prefix = `relaycast-test-${randomBytes(4).toString("hex")}:`;
  const secret = randomBytes(24).toString("hex");
  const registryEnv = { REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`, CLUSTER_REGISTRY_PREFIX: prefix };
  const registry = createStreamRegistry({ redisUrl: registryEnv.REDIS_URL, prefix });
  const nodes = new Map<string, ClusterNode>();
  // One archive for every node, as a cluster shares one (an NFS mount; an S3 bucket later): the parts
  // of a recording that moved between origins are all where its last origin finishes it.
  const archiveDir = await mkdtemp(join(tmpdir(), "relaycast-cluster-archive-"));
  const dataDirs: string[] = [archiveDir];
  let nextHost = 0;

  /** Runs `apps/media` for a node and waits until it listens and is in the registry. */
  const launch = async (
    spec: ClusterNodeSpec,
    host: TestHost,
    ports: ClusterNode["ports"],
    dataDir: string,
  ) => {
    const database = new URL(databaseUrl);
    database.hostname = network.gatewayAddress;
    const { command, args } = host.command(process.execPath, ["--import", "tsx", MAIN]);
    const child = spawn(command, args, {
      cwd: APP_DIR,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.href,
        REDIS_URL: `redis://${network.gatewayAddress}:${REDIS_PORT}`,
        CLUSTER_REGISTRY_PREFIX: prefix,
        CLUSTER_SECRET: spec.secret ?? secret,
        MEDIA_ROLE: spec.role,
        MEDIA_NODE_ID: spec.id,
        MEDIA_HOST: host.address,
        MEDIA_PUBLIC_HOST: host.address,
        MEDIA_RTMP_PORT: String(ports.rtmp),
        MEDIA_HTTP_PORT: String(ports.http),
        MEDIA_RELAY_PORT: String(ports.relay),
        MEDIA_CAPACITY_VIEWERS: String(spec.capacityViewers ?? 2_000),
        MEDIA_MAX_CONNECTIONS_PER_IP: "5000",
        MEDIA_RECONNECT_GRACE_MS: "8000",
        MEDIA_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
        DATA_DIR: dataDir,
        MEDIA_ARCHIVE_DIR: archiveDir,
        LOG_LEVEL: process.env.CLUSTER_TEST_LOG ?? "warn",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const exited = new Promise<TNodeExit>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const isRunning = () => child.exitCode === null && child.signalCode === null;
    await waitFor(async () => (await isListening(ports.http, host.address)) || !isRunning(), {
      timeoutMs: 30_000,
      message: `${spec.id} to listen`,
    });
    if (!isRunning()) throw new Error(`${spec.id} exited at start`);
    await waitFor(async () => (await registry.nodes()).some((node) => node.id === spec.id), {
      timeoutMs: 10_000,
      message: `${spec.id} in the registry`,
    });
    return {
      isRunning,
      kill: async (signal: NodeJS.Signals) => {
        if (!isRunning()) return null;
        child.kill(signal);
        return exited;
      },
    };
  };

  const start = async (spec: ClusterNodeSpec): Promise<ClusterNode> => {
    const host = network.hosts[nextHost++ % network.hosts.length]!;
    const ports = host.isIsolated
      ? { rtmp: 1935, http: 8000, relay: 1940 }
      : { rtmp: await freePort(), http: await freePort(), relay: await freePort() };
    const dataDir = await mkdtemp(join(tmpdir(), `relaycast-${spec.id}-`));
    dataDirs.push(dataDir);
    let running = await launch(spec, host, ports, dataDir);
    const node: ClusterNode = {
      spec,
      host,
      ports,
      rtmpUrl: (path) => `rtmp://${host.address}:${ports.rtmp}/${path.replace(/^\//, "")}`,
      httpUrl: (path) => `http://${host.address}:${ports.http}${path}`,
      get isRunning() {
        return running.isRunning();
      },
      kill: (signal = "SIGKILL") => running.kill(signal),
      restart: async () => {
        if (running.isRunning()) throw new Error(`${spec.id} is running`);
        running = await launch(spec, host, ports, dataDir);
      },
    };
    nodes.set(spec.id, node);
    return node;
  };

  return {
    network,
    nodes,
    registry,
    registryEnv,
    start,
    close: async () => {
      for (const node of nodes.values()) await node.kill();
      await registry.close();
      await network.close();
      await Promise.all(dataDirs.map((dataDir) => rm(dataDir, { recursive: true, force: true })));
    },
  };
}

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, connect, type Server } from "node:net";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A "host" of a cluster test: its own network namespace and address, or a share of loopback. */
export type TestHost = {
  name: string;
  /** The address its services listen on and others reach it by. */
  address: string;
  /** Whether it has a network namespace of its own (then every host can use the same ports). */
  isIsolated: boolean;
  /** The command line that runs `command` on this host. */
  command(command: string, args: string[]): { command: string; args: string[] };
};

export type TestNetwork = {
  hosts: TestHost[];
  /** Where hosts reach this machine's own services (PostgreSQL, Redis) through `forward`. */
  gatewayAddress: string;
  /** Makes a service on 127.0.0.1:`port` reachable from the hosts at `gatewayAddress`:`port`. */
  forward(port: number): Promise<void>;
  close(): Promise<void>;
};

/**
 * `count` hosts for a cluster test. Where the machine allows it (root, `ip netns`), each is a Linux
 * network namespace with its own address on a private bridge: nodes listen on their own addresses,
 * traffic stays inside, and killing a node's process is as close to losing a host as one machine
 * gets. Elsewhere, every host is 127.0.0.1 and the caller gives each service a port of its own.
 */
export async function createTestNetwork(count: number): Promise<TestNetwork> {
  return (await canIsolate()) ? createIsolatedNetwork(count) : loopbackNetwork(count);
}

async function canIsolate(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  try {
    await run("ip", ["netns", "list"]);
    return true;
  } catch {
    return false;
  }
}

function loopbackNetwork(count: number): TestNetwork {
  const hosts = Array.from({ length: count }, (_, index) => ({
    name: `host-${index + 1}`,
    address: "127.0.0.1",
    isIsolated: false,
    command: (command: string, args: string[]) => ({ command, args }),
  }));
  return { hosts, gatewayAddress: "127.0.0.1", forward: async () => {}, close: async () => {} };
}

async function createIsolatedNetwork(count: number): Promise<TestNetwork> {
  // Interface names have at most 15 characters: "rc" + 4 hex digits + a role and an index.
  const id = `rc${randomBytes(2).toString("hex")}`;
  const subnet = `10.${200 + (randomBytes(1)[0]! % 50)}.${randomBytes(1)[0]!}`;
  const bridge = `${id}br`;
  const gatewayAddress = `${subnet}.1`;
  const created: (() => Promise<unknown>)[] = [];
  const forwarders: Server[] = [];
  const ip = (...args: string[]) => run("ip", args);
  const close = async () => {
    for (const server of forwarders) server.close();
    for (const undo of created.reverse()) await undo().catch(() => {});
  };
  try {
    await ip("link", "add", bridge, "type", "bridge");
    created.push(() => ip("link", "del", bridge));
    await ip("addr", "add", `${gatewayAddress}/24`, "dev", bridge);
    await ip("link", "set", bridge, "up");
    const hosts: TestHost[] = [];
    for (let index = 0; index < count; index += 1) {
      const namespace = `${id}-host${index + 1}`;
      const outside = `${id}o${index}`;
      const inside = `${id}i${index}`;
      const address = `${subnet}.${index + 2}`;
      await ip("netns", "add", namespace);
      created.push(() => ip("netns", "del", namespace));
      await ip("link", "add", outside, "type", "veth", "peer", "name", inside);
      created.push(() => ip("link", "del", outside));
      await ip("link", "set", inside, "netns", namespace);
      await ip("link", "set", outside, "master", bridge);
      await ip("link", "set", outside, "up");
      await ip("-n", namespace, "addr", "add", `${address}/24`, "dev", inside);
      await ip("-n", namespace, "link", "set", inside, "up");
      await ip("-n", namespace, "link", "set", "lo", "up");
      hosts.push({
        name: `host-${index + 1}`,
        address,
        isIsolated: true,
        command: (command, args) => ({ command: "ip", args: ["netns", "exec", namespace, command, ...args] }),
      });
    }
    return {
      hosts,
      gatewayAddress,
      forward: async (port) => {
        forwarders.push(await forwardTcp(gatewayAddress, port));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Listens on `address`:`port` and pipes every connection to 127.0.0.1:`port`. */
async function forwardTcp(address: string, port: number): Promise<Server> {
  const server = createServer((client) => {
    const service = connect(port, "127.0.0.1");
    client.pipe(service).pipe(client);
    const closeBoth = () => {
      client.destroy();
      service.destroy();
    };
    client.on("error", closeBoth);
    service.on("error", closeBoth);
    client.on("close", closeBoth);
    service.on("close", closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve());
  });
  return server;
}

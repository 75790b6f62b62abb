import { connect } from "node:net";

const PROBE_TIMEOUT_MS = 1_000;

/** The ports, among `ports` (name → port), that something on this machine already accepts on. */
export async function findBusyPorts(ports: Array<[string, number]>): Promise<Array<[string, number]>> {
  const busy = await Promise.all(ports.map(async (entry) => ((await isAccepting(entry[1])) ? entry : null)));
  return busy.filter((entry) => entry !== null);
}

function isAccepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1", timeout: PROBE_TIMEOUT_MS });
    const done = (isBusy: boolean) => {
      socket.destroy();
      resolve(isBusy);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

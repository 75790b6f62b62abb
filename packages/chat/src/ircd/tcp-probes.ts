import { connect, createServer } from "node:net";

/** Whether nothing holds the port (checked before InspIRCd starts, for a clear error). */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolvePort(error.code !== "EADDRINUSE"));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolvePort(true)));
  });
}

/** Whether something accepts connections on the port. */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once("error", () => resolveConnect(false));
  });
}

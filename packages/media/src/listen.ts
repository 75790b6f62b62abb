import type { Server } from "node:net";

/** Listens, or rejects with the listen error (a taken port is an error to report, not a reason to exit). */
export function listen(server: Server, host: string, port: number) {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

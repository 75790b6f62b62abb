import type { Socket } from "node:net";
import type { ViewerSink } from "../fanout/viewer.ts";

/** A viewer sink on a raw TCP socket: one corked batch, one system call. */
export function socketSink(socket: Socket): ViewerSink {
  return {
    write(buffers) {
      if (socket.destroyed) return;
      socket.cork();
      for (const buffer of buffers) socket.write(buffer);
      socket.uncork();
    },
    bufferedBytes: () => socket.writableLength,
    close: () => socket.destroy(),
  };
}

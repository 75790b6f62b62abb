import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { ViewerSink } from "../viewer.ts";

/**
 * A viewer sink on a WebSocket: each tag is one binary message (players concatenate them into an FLV
 * stream), and a tick's messages leave in one corked write of the shared buffers, unmasked, uncopied.
 */
export function wsFlvSink(ws: WebSocket, socket: Duplex): ViewerSink {
  return {
    write(buffers) {
      if (ws.readyState !== ws.OPEN) return;
      socket.cork();
      for (const buffer of buffers) ws.send(buffer, { binary: true });
      socket.uncork();
    },
    bufferedBytes: () => ws.bufferedAmount,
    close: (reason) => (reason === "stream-ended" ? ws.close(1000, "stream ended") : ws.terminate()),
  };
}

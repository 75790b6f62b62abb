import type { Writable } from "node:stream";
import type { TViewerCloseReason, ViewerSink } from "./viewer.ts";

/**
 * A viewer sink on any byte stream (a TCP socket, a chunked HTTP response, a sidecar's stdin): each
 * tick's buffers go out in one corked batch, one system call. `close` says how the stream ends: an
 * orderly end when the broadcast is over, a destroy for a viewer that fell behind or a server closing.
 */
export function corkedSink(
  stream: Writable,
  close: (reason: TViewerCloseReason) => void = (reason) =>
    reason === "stream-ended" ? stream.end() : stream.destroy(),
): ViewerSink {
  return {
    write(buffers) {
      if (stream.destroyed || stream.writableEnded) return;
      stream.cork();
      for (const buffer of buffers) stream.write(buffer);
      stream.uncork();
    },
    bufferedBytes: () => stream.writableLength,
    close,
  };
}

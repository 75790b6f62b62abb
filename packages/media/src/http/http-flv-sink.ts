import type { ServerResponse } from "node:http";
import type { ViewerSink } from "../fanout/viewer.ts";

/** A viewer sink on a chunked HTTP response: one corked batch per tick. */
export function httpFlvSink(response: ServerResponse): ViewerSink {
  return {
    write(buffers) {
      if (response.destroyed) return;
      response.cork();
      for (const buffer of buffers) response.write(buffer);
      response.uncork();
    },
    bufferedBytes: () => response.writableLength,
    close: (reason) => (reason === "stream-ended" ? response.end() : response.destroy()),
  };
}

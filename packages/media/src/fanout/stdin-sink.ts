import type { Writable } from "node:stream";
import type { ViewerSink } from "./viewer.ts";

/** A fanout tap into a sidecar process: its stdin, bounded like any viewer by what it has not read. */
export function stdinSink(stdin: Writable): ViewerSink {
  return {
    write(buffers) {
      if (stdin.destroyed || stdin.writableEnded) return;
      stdin.cork();
      for (const buffer of buffers) stdin.write(buffer);
      stdin.uncork();
    },
    bufferedBytes: () => stdin.writableLength,
    close: () => stdin.end(),
  };
}

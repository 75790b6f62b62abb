import type { TViewerCloseReason, ViewerSink } from "../edge/viewer.ts";

export type FakeSink = ViewerSink & { writes: Buffer[][]; closes: TViewerCloseReason[]; buffered: number };

/** A transport for unit tests: records each write call, and reports whatever `buffered` is set to. */
export function fakeSink(): FakeSink {
  const sink: FakeSink = {
    writes: [],
    closes: [],
    buffered: 0,
    write(buffers) {
      sink.writes.push(buffers);
    },
    bufferedBytes: () => sink.buffered,
    close(reason) {
      sink.closes.push(reason);
    },
  };
  return sink;
}

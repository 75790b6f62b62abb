/**
 * Child-process entry: a load generator. Opens viewers against the media node on request (over the
 * IPC channel) and reports what they received. Exits when the benchmark disconnects.
 */
import type { LoadGeneratorConfig, LoadRequest, RequestEnvelope, ResponseEnvelope } from "./load-messages.ts";
import { ViewerPool } from "./viewer-pool.ts";

const config = JSON.parse(process.argv[2] ?? "{}") as LoadGeneratorConfig;
const pool = new ViewerPool(config.target);

async function answer(request: LoadRequest): Promise<unknown> {
  switch (request.kind) {
    case "open":
      return pool.open(request);
    case "window-start":
      pool.startWindow();
      return null;
    case "window-end":
      return pool.endWindow();
    case "close":
      pool.close();
      return null;
  }
}

process.on("message", (message: RequestEnvelope) => {
  answer(message.request).then(
    (response) => reply({ id: message.id, response }),
    (error: unknown) =>
      reply({ id: message.id, error: error instanceof Error ? error.stack : String(error) }),
  );
});
process.on("disconnect", () => {
  pool.close();
  process.exit(0);
});

function reply(envelope: ResponseEnvelope): void {
  process.send?.(envelope);
}

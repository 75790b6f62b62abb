import "server-only";

const HEARTBEAT_MS = 15_000;

/**
 * A Server-Sent Events response that sends `snapshot()` every `intervalMs` when it changed (and a
 * comment line as a heartbeat otherwise), until the client goes away.
 */
export function eventStreamResponse(
  request: Request,
  { snapshot, intervalMs }: { snapshot: () => Promise<unknown>; intervalMs: number },
): Response {
  const encoder = new TextEncoder();
  let timer: NodeJS.Timeout | undefined;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let last = "";
      let lastSentAt = 0;
      const tick = async () => {
        try {
          const data = JSON.stringify(await snapshot());
          if (data !== last) {
            controller.enqueue(encoder.encode(`data: ${data}\n\n`));
            last = data;
            lastSentAt = Date.now();
          } else if (Date.now() - lastSentAt > HEARTBEAT_MS) {
            controller.enqueue(encoder.encode(": heartbeat\n\n"));
            lastSentAt = Date.now();
          }
        } catch {
          // The next tick tries again; the client keeps what it has.
        }
      };
      await tick();
      timer = setInterval(() => void tick(), intervalMs);
      request.signal.addEventListener("abort", () => {
        clearInterval(timer);
        controller.close();
      });
    },
    cancel() {
      clearInterval(timer);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

import "server-only";
import type { FeedSubscriber } from "./event-feeds.ts";

const HEARTBEAT_MS = 15_000;
/** Tells the browser's EventSource how soon to reconnect when a stream ends (its lifetime is up). */
const RECONNECT_MS = 2_000;

/**
 * A Server-Sent Events response fed by a shared feed: each value the feed sends, addressed to this
 * viewer by `format`, goes out when it differs from the last one sent; a comment line keeps the
 * connection alive otherwise. The stream ends after about `lifetimeMs` (jittered, so streams opened
 * together do not all come back together), or when the client goes away.
 */
export function eventStreamResponse<T>(
  request: Request,
  {
    subscribe,
    format,
    lifetimeMs,
  }: {
    subscribe(subscriber: FeedSubscriber<T>): () => void;
    format(value: T): unknown;
    lifetimeMs: number;
  },
): Response {
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const endsAt = Date.now() + lifetimeMs * (0.9 + Math.random() * 0.2);
      let lastData = "";
      let lastSentAt = Date.now();
      let isOpen = true;
      const send = (text: string) => {
        controller.enqueue(encoder.encode(text));
        lastSentAt = Date.now();
      };
      let unsubscribe = () => {};
      stop = () => {
        if (!isOpen) return;
        isOpen = false;
        unsubscribe();
      };
      send(`retry: ${RECONNECT_MS}\n\n`);
      unsubscribe = subscribe({
        onValue: (value) => {
          const data = JSON.stringify(format(value));
          if (data === lastData) return;
          lastData = data;
          send(`data: ${data}\n\n`);
        },
        onTick: (now) => {
          if (now >= endsAt) {
            stop();
            controller.close();
          } else if (now - lastSentAt > HEARTBEAT_MS) {
            send(": heartbeat\n\n");
          }
        },
      });
      request.signal.addEventListener("abort", () => {
        if (!isOpen) return;
        stop();
        controller.close();
      });
    },
    cancel() {
      stop();
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

import type { IncomingMessage, ServerResponse } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { routeOf } from "./route-of.ts";

/** Prometheus metrics of one web process, served as text at /metrics. */
export class WebMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"route" | "method" | "status">;
  readonly #duration: Histogram<"route" | "method">;

  constructor(source: { eventStreams(): number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "relaycast_web_" });
    this.#requests = new Counter({
      name: "relaycast_web_http_requests_total",
      help: "HTTP requests answered, by route, method and status (5xx are errors)",
      labelNames: ["route", "method", "status"],
      registers,
    });
    this.#duration = new Histogram({
      name: "relaycast_web_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route and method (event streams: until they close)",
      labelNames: ["route", "method"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: "relaycast_web_event_streams",
      help: "Open live-status streams (Server-Sent Events)",
      registers,
      collect() {
        this.set(source.eventStreams());
      },
    });
  }

  /** Counts the request and times it once its response is done (or its client gone). */
  observe(request: IncomingMessage, response: ServerResponse): void {
    const startedAt = process.hrtime.bigint();
    response.once("close", () => {
      const labels = { route: routeOf(request.url ?? "/"), method: request.method ?? "GET" };
      const status = response.writableFinished ? String(response.statusCode) : "aborted";
      this.#requests.inc({ ...labels, status });
      this.#duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
    });
  }

  async answer(response: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    response.writeHead(200, { "content-type": this.registry.contentType, "cache-control": "no-store" });
    response.end(body);
  }
}

import type { IncomingMessage, ServerResponse } from "node:http";

/** One dependency a process needs to serve: it resolves when the dependency answers. */
export type DependencyCheck = { name: string; check: () => Promise<unknown> };

export type ReadinessReport = {
  ready: boolean;
  draining: boolean;
  /** Per dependency: "ok", or why not. */
  dependencies: Record<string, string>;
};

const CHECK_TIMEOUT_MS = 2_000;
/** Probes from several places (kubelet, compose, a load balancer) within this share one round of checks. */
const REPORT_TTL_MS = 1_000;

/**
 * A process's health: `/healthz` answers while it is alive; `/readyz` while its dependencies answer
 * and it is not draining (after SIGTERM it stops taking new work, and says so to the load balancer).
 */
export class Health {
  #isDraining = false;
  #report: { at: number; report: Promise<ReadinessReport> } | null = null;

  constructor(private readonly dependencies: DependencyCheck[]) {}

  drain(): void {
    this.#isDraining = true;
    this.#report = null;
  }

  readiness(): Promise<ReadinessReport> {
    const now = Date.now();
    if (!this.#report || now - this.#report.at > REPORT_TTL_MS)
      this.#report = { at: now, report: this.#check() };
    return this.#report.report;
  }

  /** Answers GET /healthz and /readyz; false for any other request. */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "GET" || (path !== "/healthz" && path !== "/readyz")) return false;
    if (path === "/healthz") {
      respond(response, 200, { alive: true });
      return true;
    }
    void this.readiness().then((report) => respond(response, report.ready ? 200 : 503, report));
    return true;
  }

  async #check(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.dependencies.map(async ({ name, check }) => [name, await outcome(check)] as const),
    );
    const dependencies = Object.fromEntries(results);
    return {
      ready: !this.#isDraining && results.every(([, result]) => result === "ok"),
      draining: this.#isDraining,
      dependencies,
    };
  }
}

async function outcome(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

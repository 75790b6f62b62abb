import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { spawnTs, stopChild } from "../shared/spawn-ts.ts";
import type {
  LoadGeneratorConfig,
  LoadRequest,
  LoadResponse,
  RequestEnvelope,
  ResponseEnvelope,
} from "./load-messages.ts";

const ENTRY = fileURLToPath(new URL("./load-generator-main.ts", import.meta.url));

/** The benchmark's handle on one load-generator process. */
export class LoadGeneratorProcess {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(config: LoadGeneratorConfig, openFiles: number) {
    this.child = spawnTs(ENTRY, {
      args: [JSON.stringify(config)],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      openFiles,
    });
    this.child.on("message", (envelope: ResponseEnvelope) => {
      const waiter = this.pending.get(envelope.id);
      this.pending.delete(envelope.id);
      if (envelope.error !== undefined) waiter?.reject(new Error(`load generator: ${envelope.error}`));
      else waiter?.resolve(envelope.response);
    });
    this.child.once("exit", (code, signal) => {
      for (const waiter of this.pending.values())
        waiter.reject(new Error(`load generator exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<R extends LoadRequest>(request: R): Promise<LoadResponse<R>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const envelope: RequestEnvelope = { id, request };
      this.child.send(envelope, (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.connected) await this.request({ kind: "close" }).catch(() => null);
    if (this.child.connected) this.child.disconnect();
    await stopChild(this.child, 3_000);
  }
}

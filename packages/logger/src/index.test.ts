import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./index.ts";

describe("createLogger", () => {
  it("redacts secrets wherever they sit in a logged object", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ name: "test", level: "info", destination: sink });
    log.info({ streamKey: "live_secret", user: { password: "hunter22" }, channel: "alice" }, "published");
    const output = lines.join("");
    expect(output).toContain('"channel":"alice"');
    expect(output).not.toContain("live_secret");
    expect(output).not.toContain("hunter22");
  });
});

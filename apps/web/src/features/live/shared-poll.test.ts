import { describe, expect, it } from "vitest";
import { sharedPoll } from "./shared-poll.ts";

describe("sharedPoll", () => {
  it("runs one fetch per key while its answer is fresh, and again once it is stale", async () => {
    let calls = 0;
    const poll = sharedPoll(50, async (key) => `${key}:${++calls}`);
    const answers = await Promise.all([poll("a"), poll("a"), poll("a")]);
    expect(answers).toEqual(["a:1", "a:1", "a:1"]);
    expect(await poll("b")).toBe("b:2");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await poll("a")).toBe("a:3");
  });

  it("does not keep a failure: the next call fetches again", async () => {
    let calls = 0;
    const poll = sharedPoll(10_000, async () => {
      calls += 1;
      if (calls === 1) throw new Error("media node away");
      return "ok";
    });
    await expect(poll("a")).rejects.toThrow("media node away");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await poll("a")).toBe("ok");
  });
});

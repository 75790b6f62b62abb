import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TimeoutError, withTimeout } from "./with-timeout.ts";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("withTimeout", () => {
  it("resolves with the promise's value when it answers in time", async () => {
    await expect(withTimeout(Promise.resolve(42), 100, "answer")).resolves.toBe(42);
  });

  it("rejects with the promise's own error when it fails in time", async () => {
    await expect(withTimeout(Promise.reject(new Error("boom")), 100, "answer")).rejects.toThrow("boom");
  });

  it("rejects with a TimeoutError naming what did not answer, once the time is up", async () => {
    let outcome: unknown = "pending";
    void withTimeout(new Promise(() => {}), 100, "stream key lookup").then(
      () => (outcome = "resolved"),
      (error: unknown) => (outcome = error),
    );
    await vi.advanceTimersByTimeAsync(99);
    expect(outcome).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(TimeoutError);
    expect((outcome as Error).name).toBe("TimeoutError");
    expect((outcome as Error).message).toBe("stream key lookup did not answer within 100 ms");
  });

  it("leaves no timer behind once the promise settles", async () => {
    await withTimeout(Promise.resolve("done"), 60_000, "answer");
    await withTimeout(Promise.reject(new Error("no")), 60_000, "answer").catch(() => {});
    expect(vi.getTimerCount()).toBe(0);
  });

  it("ignores a late answer after the timeout", async () => {
    let answer: (value: string) => void = () => {};
    const outcome = withTimeout(new Promise<string>((resolve) => (answer = resolve)), 100, "answer").catch(
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(100);
    answer("late");
    expect(await outcome).toBeInstanceOf(TimeoutError);
  });
});

import { describe, expect, it } from "vitest";
import { EventFeeds, type FeedSubscriber } from "./event-feeds.ts";

function recorder<T>() {
  const values: T[] = [];
  let ticks = 0;
  const subscriber: FeedSubscriber<T> = {
    onValue: (value) => values.push(value),
    onTick: () => (ticks += 1),
  };
  return { subscriber, values, ticks: () => ticks };
}

describe("EventFeeds", () => {
  it("polls a key once per interval for any number of subscribers, and stops with the last one", async () => {
    const polls = new Map<string, number>();
    const feeds = new EventFeeds<string>({
      intervalMs: 20,
      poll: async (key) => {
        polls.set(key, (polls.get(key) ?? 0) + 1);
        return `${key}:${Math.floor(Date.now() / 100)}`;
      },
    });
    const listeners = Array.from({ length: 200 }, () => recorder<string>());
    const unsubscribes = listeners.map(({ subscriber }) => feeds.subscribe("alice", subscriber));
    await expect.poll(() => polls.get("alice") ?? 0).toBeGreaterThanOrEqual(10);
    const pollsSoFar = polls.get("alice")!;
    // Each subscriber has had about one value per 100 ms, from a poll every 20 ms shared by all 200.
    expect(listeners.every(({ values }) => values.length >= 1 && values[0]!.startsWith("alice:"))).toBe(true);
    expect(pollsSoFar).toBeLessThan(200);
    expect(feeds.activeKeys).toBe(1);
    for (const unsubscribe of unsubscribes) unsubscribe();
    expect(feeds.activeKeys).toBe(0);
    const pollsAtStop = polls.get("alice")!;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(polls.get("alice")).toBeLessThanOrEqual(pollsAtStop + 1);
  });

  it("gives a late subscriber the current value at once and ticks when nothing changed", async () => {
    const feeds = new EventFeeds<number>({ intervalMs: 10, poll: async () => 42 });
    const first = recorder<number>();
    const stopFirst = feeds.subscribe("k", first.subscriber);
    await expect.poll(() => first.values).toEqual([42]);
    const late = recorder<number>();
    const stopLate = feeds.subscribe("k", late.subscriber);
    expect(late.values).toEqual([42]);
    await expect.poll(() => late.ticks()).toBeGreaterThan(2);
    expect(first.values).toEqual([42]);
    stopFirst();
    stopLate();
  });

  it("keeps polling after a failed poll", async () => {
    let calls = 0;
    const feeds = new EventFeeds<string>({
      intervalMs: 10,
      poll: async () => {
        calls += 1;
        if (calls === 1) throw new Error("database away");
        return "back";
      },
    });
    const listener = recorder<string>();
    const stop = feeds.subscribe("k", listener.subscriber);
    await expect.poll(() => listener.values).toEqual(["back"]);
    stop();
  });

  it("keeps ticking while a poll hangs, so streams still get heartbeats and end on time", async () => {
    const feeds = new EventFeeds<string>({ intervalMs: 10, poll: () => new Promise<string>(() => {}) });
    const listener = recorder<string>();
    const stop = feeds.subscribe("k", listener.subscriber);
    await expect.poll(() => listener.ticks()).toBeGreaterThan(3);
    expect(listener.values).toEqual([]);
    stop();
  });
});

import type { LiveState } from "@relaycast/db";
import { createLogger } from "@relaycast/logger";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LiveStream } from "../edge/live-stream.ts";
import type { TViewerCloseReason, ViewerSink } from "../edge/viewer.ts";
import { MemoryStreamRegistry } from "../cluster/memory-stream-registry.ts";
import { Admission } from "../ingest/admission.ts";
import type { RtmpConnection } from "../ingest/rtmp-connection.ts";
import type { TAdmissionResult } from "../metrics/media-metrics.ts";
import { LEASE_MS, LEASE_RENEW_MS } from "./broadcast-lease.ts";
import { BroadcastManager, type BroadcastManagerOptions } from "./broadcast-manager.ts";
import { lookUpEachKey, type BroadcastStore } from "./broadcast-store.ts";
import { TimeoutError } from "../with-timeout.ts";

const KEY = "live_AbCdEfGhIjKlMnOpQrStUvWxYz012345";
const OTHER_KEY = "live_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";
const ALICE = { id: "channel-alice", name: "alice" };
const BOB = { id: "channel-bob", name: "bob" };
const ADMISSION_TIMEOUT_MS = 200;
const GRACE_MS = 1_000;
const REVALIDATE_MS = 5_000;

type Summary = { peakViewers: number; stats: object };

type FakeStore = BroadcastStore & {
  keys: Map<string, { id: string; name: string }>;
  found: string[];
  opened: string[];
  liveStates: [string, LiveState][];
  closed: [string, Summary][];
  orphansClosed: number;
  renewals: string[][];
  /** Broadcasts another node closed: renewing them fails. */
  closedElsewhere: Set<string>;
  sweeps: number[];
};

function fakeStore(): FakeStore {
  const store: FakeStore = {
    keys: new Map([
      [KEY, ALICE],
      [OTHER_KEY, BOB],
    ]),
    found: [],
    opened: [],
    liveStates: [],
    closed: [],
    orphansClosed: 0,
    renewals: [],
    closedElsewhere: new Set(),
    sweeps: [],
    findChannelByStreamKey: async (streamKey) => {
      store.found.push(streamKey);
      return store.keys.get(streamKey) ?? null;
    },
    findChannelsByStreamKeys: (streamKeys) =>
      lookUpEachKey(streamKeys, (key) => store.findChannelByStreamKey(key)),
    openBroadcast: async (channelId) => {
      store.opened.push(channelId);
      return { id: `broadcast-${store.opened.length}`, startedAt: new Date(1_700_000_000_000) };
    },
    setLiveState: async (channelId, liveState) => {
      store.liveStates.push([channelId, liveState]);
    },
    closeBroadcast: async (broadcastId, summary) => {
      store.closed.push([broadcastId, summary]);
    },
    closeOrphanedBroadcasts: async () => {
      store.orphansClosed += 1;
      return 2;
    },
    renewLeases: async (broadcastIds) => {
      store.renewals.push(broadcastIds);
      return broadcastIds.filter((id) => !store.closedElsewhere.has(id));
    },
    closeExpiredBroadcasts: async (leaseMs) => {
      store.sweeps.push(leaseMs);
      return [];
    },
  };
  return store;
}

type FakeConnection = { closes: string[]; close(reason: string): void };

function connection(): FakeConnection & RtmpConnection {
  const fake: FakeConnection = {
    closes: [],
    close(reason) {
      fake.closes.push(reason);
    },
  };
  return fake as FakeConnection & RtmpConnection;
}

function sink(): ViewerSink & { closes: TViewerCloseReason[] } {
  const closes: TViewerCloseReason[] = [];
  return { closes, write: () => {}, bufferedBytes: () => 0, close: (reason) => void closes.push(reason) };
}

type Publishing = Pick<BroadcastManager, "start" | "find" | "list" | "recordViewers" | "channelsLost"> &
  Pick<Admission, "admit"> & { close(): Promise<void> };

let managers: Publishing[] = [];
let streams: LiveStream[] = [];

/** Admission in front of live state, as the media node puts them together. */
function setup({
  acceptsPublishers = true,
  ...overrides
}: Partial<BroadcastManagerOptions> & { acceptsPublishers?: boolean } = {}) {
  const store = fakeStore();
  const admissions: TAdmissionResult[] = [];
  const viewers = { count: 0 };
  const log = createLogger({ name: "test", level: "silent" });
  const registry = new MemoryStreamRegistry(60_000);
  const moved: string[] = [];
  const broadcasts = new BroadcastManager({
    store,
    admissionTimeoutMs: ADMISSION_TIMEOUT_MS,
    reconnectGraceMs: GRACE_MS,
    createStream: (channel) => {
      const stream = new LiveStream({ channel, maxGopBytes: 1 << 20, maxGopMs: 10_000, flushIntervalMs: 10 });
      streams.push(stream);
      return stream;
    },
    createAttachments: () => [],
    countViewers: () => viewers.count,
    claims: {
      claim: (channel) => registry.claim(channel, "this-node"),
      release: (channel) => registry.release(channel, "this-node"),
    },
    channelMoved: (channel) => void moved.push(channel),
    log,
    ...overrides,
  });
  const admission = new Admission({
    findChannelByStreamKey: (streamKey) => store.findChannelByStreamKey(streamKey),
    findChannelsByStreamKeys: (streamKeys) => store.findChannelsByStreamKeys(streamKeys),
    admissionTimeoutMs: ADMISSION_TIMEOUT_MS,
    revalidateIntervalMs: REVALIDATE_MS,
    acceptsPublishers,
    broadcasts,
    admission: (result) => void admissions.push(result),
    log,
  });
  const manager: Publishing = {
    admit: (request, connection) => admission.admit(request, connection),
    start: () => broadcasts.start(),
    find: (name) => broadcasts.find(name),
    list: () => broadcasts.list(),
    recordViewers: () => broadcasts.recordViewers(),
    channelsLost: (channels) => broadcasts.channelsLost(channels),
    close: async () => {
      admission.close();
      await broadcasts.close();
    },
  };
  managers.push(manager);
  return { manager, store, admissions, viewers, registry, moved };
}

const publish = (name: string, app = "live") => ({ app, name });

/** Lets the store's promises and the manager's continuations run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(async () => {
  for (const manager of managers) await manager.close();
  for (const stream of streams) stream.end();
  managers = [];
  streams = [];
  vi.useRealTimers();
});

describe("Admission and BroadcastManager", () => {
  describe("admission", () => {
    it("admits a publisher with a valid key: one broadcast, live under the channel name", async () => {
      const { manager, store, admissions } = setup();
      const decision = await manager.admit(publish(KEY), connection());
      expect(decision.ok).toBe(true);
      expect(admissions).toEqual(["admitted"]);
      expect(store.found).toEqual([KEY]);
      expect(store.opened).toEqual([ALICE.id]);
      const view = manager.find("alice");
      expect(view).toMatchObject({ name: "alice", state: "live", startedAt: new Date(1_700_000_000_000) });
      expect(manager.list().map((each) => each.name)).toEqual(["alice"]);
    });

    it("passes the publisher's tags to the channel's stream", async () => {
      const { manager } = setup();
      const decision = await manager.admit(publish(KEY), connection());
      if (!decision.ok) throw new Error(decision.description);
      const viewerSink = sink();
      const writes: Buffer[][] = [];
      viewerSink.write = (buffers) => void writes.push(buffers);
      manager.find("alice")!.stream.addViewer("http-flv", "flv", viewerSink);
      decision.publication.tag({
        type: 9,
        kind: "keyframe",
        timestamp: 0,
        body: Buffer.from([0x17, 1, 0, 0, 0]),
      });
      await vi.advanceTimersByTimeAsync(10);
      expect(writes.flat().length).toBeGreaterThan(0);
    });

    it("refuses a wrong stream key and reports refused-key", async () => {
      const { manager, store, admissions } = setup();
      const decision = await manager.admit(publish("live_not_a_key_of_anyone_0000000000"), connection());
      expect(decision).toEqual({ ok: false, description: expect.any(String) });
      expect(admissions).toEqual(["refused-key"]);
      expect(store.opened).toEqual([]);
      expect(manager.list()).toEqual([]);
    });

    it("refuses a publisher on another application than live", async () => {
      const { manager, store, admissions } = setup();
      const decision = await manager.admit(publish(KEY, "other"), connection());
      expect(decision.ok).toBe(false);
      expect(admissions).toEqual(["refused-key"]);
      expect(store.found).toEqual([]);
    });

    it("refuses a second publisher while the channel is live, with refused-live", async () => {
      const { manager, store, admissions } = setup();
      const first = connection();
      expect((await manager.admit(publish(KEY), first)).ok).toBe(true);
      const second = await manager.admit(publish(KEY), connection());
      expect(second.ok).toBe(false);
      expect(admissions).toEqual(["admitted", "refused-live"]);
      expect(store.opened).toHaveLength(1);
      expect(first.closes).toEqual([]);
    });

    it("refuses a second publisher that arrives while the first is still being admitted", async () => {
      const { manager, store, admissions } = setup();
      let openRow: (row: { id: string; startedAt: Date }) => void = () => {};
      store.openBroadcast = (channelId) => {
        store.opened.push(channelId);
        return new Promise((resolve) => (openRow = resolve));
      };
      const first = manager.admit(publish(KEY), connection());
      await settle();
      const second = await manager.admit(publish(KEY), connection());
      expect(second.ok).toBe(false);
      openRow({ id: "broadcast-1", startedAt: new Date() });
      expect((await first).ok).toBe(true);
      expect(admissions).toEqual(["refused-live", "admitted"]);
      expect(store.opened).toHaveLength(1);
    });

    it("refuses publishers on an edge node without asking the store", async () => {
      const { manager, store, admissions } = setup({ acceptsPublishers: false });
      const decision = await manager.admit(publish(KEY), connection());
      expect(decision.ok).toBe(false);
      expect(admissions).toEqual(["refused-role"]);
      expect(store.found).toEqual([]);
    });

    it("fails closed within admissionTimeoutMs when the store never answers the key lookup", async () => {
      const { manager, store, admissions } = setup();
      store.findChannelByStreamKey = () => new Promise(() => {});
      let outcome: unknown = "pending";
      void manager.admit(publish(KEY), connection()).then(
        () => (outcome = "admitted"),
        (error: unknown) => (outcome = error),
      );
      await vi.advanceTimersByTimeAsync(ADMISSION_TIMEOUT_MS - 1);
      expect(outcome).toBe("pending");
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toBeInstanceOf(TimeoutError);
      expect(admissions).toEqual(["unavailable"]);
      expect(manager.list()).toEqual([]);
    });

    it("fails closed when the key lookup fails", async () => {
      const { manager, store, admissions } = setup();
      store.findChannelByStreamKey = async () => {
        throw new Error("database down");
      };
      await expect(manager.admit(publish(KEY), connection())).rejects.toThrow("database down");
      expect(admissions).toEqual(["unavailable"]);
    });

    it("fails closed when opening the broadcast never answers, and leaves the channel free", async () => {
      const { manager, store, admissions } = setup();
      const openBroadcast = store.openBroadcast;
      store.openBroadcast = () => new Promise(() => {});
      const outcome = manager.admit(publish(KEY), connection()).catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(ADMISSION_TIMEOUT_MS);
      expect(await outcome).toBeInstanceOf(TimeoutError);
      expect(admissions).toEqual(["unavailable"]);
      expect(manager.find("alice")).toBeNull();
      expect(manager.list()).toEqual([]);
      expect(streams[0]!.viewerCounts()).toEqual({
        "http-flv": 0,
        "ws-flv": 0,
        rtmp: 0,
        hls: 0,
        thumbnail: 0,
        relay: 0,
        recording: 0,
      });

      store.openBroadcast = openBroadcast;
      expect((await manager.admit(publish(KEY), connection())).ok).toBe(true);
      expect(manager.find("alice")?.state).toBe("live");
    });

    // The refused publisher is gone, but a Broadcast row that the database opens after we stopped
    // waiting marks the channel live until the node restarts (closeOrphanedBroadcasts).
    it("closes a broadcast row that the store opened after the admission timed out", async () => {
      const { manager, store } = setup();
      store.openBroadcast = (channelId) => {
        store.opened.push(channelId);
        return new Promise((resolve) =>
          setTimeout(
            () => resolve({ id: "late-broadcast", startedAt: new Date() }),
            ADMISSION_TIMEOUT_MS + 100,
          ),
        );
      };
      const outcome = manager.admit(publish(KEY), connection()).catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(ADMISSION_TIMEOUT_MS);
      expect(await outcome).toBeInstanceOf(TimeoutError);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(store.closed.map(([broadcastId]) => broadcastId)).toEqual(["late-broadcast"]);
    });

    it("starts a new broadcast's attachments (HLS, thumbnails) and closes them when it ends", async () => {
      const calls: string[] = [];
      const attachment = (name: string) => ({
        start: async () => void calls.push(`${name} start`),
        close: async () => void calls.push(`${name} close`),
      });
      const attached: string[] = [];
      const { manager } = setup({
        createAttachments: (stream) => {
          attached.push(stream.channel);
          return [attachment("hls"), attachment("thumbnails")];
        },
      });
      const decision = await manager.admit(publish(KEY), connection());
      if (!decision.ok) throw new Error(decision.description);
      expect(attached).toEqual(["alice"]);
      expect(calls).toEqual(["hls start", "thumbnails start"]);
      decision.publication.ended();
      await vi.advanceTimersByTimeAsync(GRACE_MS + 1);
      expect(calls).toEqual(["hls start", "thumbnails start", "hls close", "thumbnails close"]);
    });
  });

  describe("cluster claims", () => {
    it("refuses a publisher while another origin holds the channel, and claims it once it is free", async () => {
      const { manager, store, admissions, registry } = setup();
      await registry.heartbeat({
        id: "other-origin",
        role: "origin",
        rtmpUrl: "rtmp://other:1935",
        httpUrl: "http://other:8000",
        apiUrl: "http://other:8000",
        relayAddress: "other:1940",
        capacity: { viewers: 1, mbps: 1 },
        load: { viewers: 0, egressMbps: 0, cpu: 0 },
        channels: ["alice"],
        heartbeatAt: Date.now(),
      });
      await registry.claim("alice", "other-origin");
      expect((await manager.admit(publish(KEY), connection())).ok).toBe(false);
      expect(admissions).toEqual(["refused-live"]);
      expect(store.opened).toEqual([]);
      expect(manager.find("alice")).toBeNull();

      await registry.release("alice", "other-origin");
      expect((await manager.admit(publish(KEY), connection())).ok).toBe(true);
      expect(await registry.originOf("alice")).toBe("this-node");
    });

    it("releases the claim when the broadcast ends", async () => {
      const { manager, registry } = setup();
      const decision = await manager.admit(publish(KEY), connection());
      if (!decision.ok) throw new Error(decision.description);
      decision.publication.ended();
      await vi.advanceTimersByTimeAsync(GRACE_MS + 1);
      expect(await registry.originOf("alice")).toBeNull();
    });

    it("ends a channel another origin took over without closing its row, and tells its edges it moved", async () => {
      const { manager, store, moved } = setup();
      const publisher = connection();
      await manager.admit(publish(KEY), publisher);
      manager.channelsLost(["alice"]);
      await settle();
      expect(moved).toEqual(["alice"]);
      expect(publisher.closes).toEqual(["broadcast ending"]);
      expect(manager.find("alice")).toBeNull();
      expect(store.closed).toEqual([]);
    });
  });

  describe("reconnect grace", () => {
    it("puts a broadcast whose publisher left to reconnecting, and closes it after the grace period", async () => {
      const { manager, store, viewers } = setup();
      const decision = await manager.admit(publish(KEY), connection());
      if (!decision.ok) throw new Error(decision.description);
      const stream = manager.find("alice")!.stream;
      const viewer = sink();
      stream.addViewer("http-flv", "flv", viewer);
      viewers.count = 3;
      manager.recordViewers();
      viewers.count = 1;

      decision.publication.ended();
      await settle();
      expect(manager.find("alice")?.state).toBe("reconnecting");
      expect(store.liveStates).toEqual([[ALICE.id, "reconnecting"]]);

      await vi.advanceTimersByTimeAsync(GRACE_MS - 1);
      expect(manager.find("alice")?.state).toBe("reconnecting");
      expect(store.closed).toEqual([]);

      await vi.advanceTimersByTimeAsync(1);
      expect(manager.find("alice")).toBeNull();
      expect(manager.list()).toEqual([]);
      expect(store.closed).toEqual([["broadcast-1", { peakViewers: 3, stats: expect.any(Object) }]]);
      expect(viewer.closes).toEqual(["stream-ended"]);
    });

    it("resumes the same broadcast when the publisher comes back within the grace period", async () => {
      const { manager, store, admissions } = setup();
      const first = await manager.admit(publish(KEY), connection());
      if (!first.ok) throw new Error(first.description);
      const stream = manager.find("alice")!.stream;
      first.publication.ended();
      await vi.advanceTimersByTimeAsync(GRACE_MS - 10);

      const second = await manager.admit(publish(KEY), connection());
      expect(second.ok).toBe(true);
      expect(admissions).toEqual(["admitted", "admitted"]);
      expect(store.opened).toEqual([ALICE.id]);
      expect(manager.find("alice")?.state).toBe("live");
      expect(manager.find("alice")?.stream).toBe(stream);
      await settle();
      expect(store.liveStates).toEqual([
        [ALICE.id, "reconnecting"],
        [ALICE.id, "live"],
      ]);

      await vi.advanceTimersByTimeAsync(GRACE_MS * 5);
      expect(manager.find("alice")?.state).toBe("live");
      expect(store.closed).toEqual([]);
    });

    it("ignores a late ended() from the publisher that was replaced", async () => {
      const { manager, store } = setup();
      const first = await manager.admit(publish(KEY), connection());
      if (!first.ok) throw new Error(first.description);
      first.publication.ended();
      const second = await manager.admit(publish(KEY), connection());
      if (!second.ok) throw new Error(second.description);
      first.publication.ended();
      await vi.advanceTimersByTimeAsync(GRACE_MS * 2);
      expect(manager.find("alice")?.state).toBe("live");
      expect(store.closed).toEqual([]);
    });

    it("opens a new broadcast for a publisher that comes back after the grace period", async () => {
      const { manager, store } = setup();
      const first = await manager.admit(publish(KEY), connection());
      if (!first.ok) throw new Error(first.description);
      const oldStream = manager.find("alice")!.stream;
      first.publication.ended();
      await vi.advanceTimersByTimeAsync(GRACE_MS + 1);
      expect((await manager.admit(publish(KEY), connection())).ok).toBe(true);
      expect(store.opened).toEqual([ALICE.id, ALICE.id]);
      expect(manager.find("alice")?.stream).not.toBe(oldStream);
      expect(store.closed.map(([id]) => id)).toEqual(["broadcast-1"]);
    });
  });

  describe("find", () => {
    it("finds a live channel by name", async () => {
      const { manager } = setup();
      await manager.admit(publish(KEY), connection());
      expect(manager.find("alice")?.name).toBe("alice");
      expect(manager.list().map((view) => view.name)).toEqual(["alice"]);
    });

    it("finds nothing by stream key or for an unknown channel", async () => {
      const { manager } = setup();
      await manager.admit(publish(KEY), connection());
      expect(manager.find(KEY)).toBeNull();
      expect(manager.find("live_" + "a".repeat(20))).toBeNull();
      expect(manager.find("nobody")).toBeNull();
      expect(manager.find("ALICE")).toBeNull();
      expect(manager.find("al")).toBeNull();
    });

    it("hides a broadcast that is still being admitted", async () => {
      const { manager, store } = setup();
      store.openBroadcast = () => new Promise(() => {});
      const outcome = manager.admit(publish(KEY), connection()).catch(() => null);
      await settle();
      expect(manager.find("alice")).toBeNull();
      expect(manager.list()).toEqual([]);
      await vi.advanceTimersByTimeAsync(ADMISSION_TIMEOUT_MS);
      await outcome;
    });

    it("keeps a reconnecting broadcast playable", async () => {
      const { manager } = setup();
      const decision = await manager.admit(publish(KEY), connection());
      if (!decision.ok) throw new Error(decision.description);
      decision.publication.ended();
      expect(manager.find("alice")?.state).toBe("reconnecting");
    });
  });

  describe("revalidation", () => {
    it("disconnects a publisher whose key lookup now returns null", async () => {
      const { manager, store } = setup();
      const publisher = connection();
      await manager.admit(publish(KEY), publisher);
      await vi.advanceTimersByTimeAsync(REVALIDATE_MS);
      expect(publisher.closes).toEqual([]);
      store.keys.delete(KEY);
      await vi.advanceTimersByTimeAsync(REVALIDATE_MS);
      expect(publisher.closes).toEqual(["stream key revoked"]);
    });

    it("disconnects a publisher whose key now belongs to another channel", async () => {
      const { manager, store } = setup();
      const publisher = connection();
      await manager.admit(publish(KEY), publisher);
      store.keys.set(KEY, BOB);
      await vi.advanceTimersByTimeAsync(REVALIDATE_MS);
      expect(publisher.closes).toEqual(["stream key revoked"]);
    });

    it("keeps a publisher when the store fails to answer", async () => {
      const { manager, store } = setup();
      const publisher = connection();
      await manager.admit(publish(KEY), publisher);
      store.findChannelByStreamKey = async () => {
        throw new Error("database down");
      };
      await vi.advanceTimersByTimeAsync(REVALIDATE_MS * 3);
      expect(publisher.closes).toEqual([]);
    });

    it("checks the key the current publisher used", async () => {
      const { manager, store } = setup();
      const first = await manager.admit(publish(KEY), connection());
      if (!first.ok) throw new Error(first.description);
      first.publication.ended();
      const renewed = "live_renewedrenewedrenewedrenewed00";
      store.keys.set(renewed, ALICE);
      store.keys.delete(KEY);
      const publisher = connection();
      expect((await manager.admit(publish(renewed), publisher)).ok).toBe(true);
      await vi.advanceTimersByTimeAsync(REVALIDATE_MS);
      expect(publisher.closes).toEqual([]);
    });
  });

  describe("lifecycle", () => {
    it("closes the broadcasts a previous run left open when it starts", async () => {
      const { manager, store } = setup();
      await manager.start();
      expect(store.orphansClosed).toBe(1);
    });

    it("renews the lease on its open broadcasts and sweeps expired ones every LEASE_RENEW_MS", async () => {
      const { manager, store } = setup({ reconnectGraceMs: LEASE_RENEW_MS * 10 });
      await manager.start();
      await manager.admit(publish(KEY), connection());
      const reconnecting = await manager.admit(publish(OTHER_KEY), connection());
      if (!reconnecting.ok) throw new Error(reconnecting.description);
      reconnecting.publication.ended();
      await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS - 1);
      expect(store.renewals).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(store.renewals).toEqual([["broadcast-1", "broadcast-2"]]);
      expect(store.sweeps).toEqual([LEASE_MS]);
      await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS);
      expect(store.renewals).toHaveLength(2);
      await manager.close();
      await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS * 3);
      expect(store.renewals).toHaveLength(2);
    });

    it("ends a broadcast whose lease another node closed, without writing over its row", async () => {
      const { manager, store } = setup();
      await manager.start();
      const alice = connection();
      const bob = connection();
      await manager.admit(publish(KEY), alice);
      await manager.admit(publish(OTHER_KEY), bob);
      store.closedElsewhere.add("broadcast-1");
      await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS);
      expect(alice.closes).toEqual(["broadcast ending"]);
      expect(manager.find("alice")).toBeNull();
      expect(store.closed).toEqual([]);
      expect(bob.closes).toEqual([]);
      expect(manager.find("bob")?.state).toBe("live");
      // The encoder reconnects: a new broadcast.
      expect((await manager.admit(publish(KEY), connection())).ok).toBe(true);
      expect(store.opened).toEqual([ALICE.id, BOB.id, ALICE.id]);
    });

    it("keeps its broadcasts while the database does not answer the renewals", async () => {
      const { manager, store } = setup();
      await manager.start();
      const alice = connection();
      await manager.admit(publish(KEY), alice);
      store.renewLeases = () => new Promise(() => {});
      await vi.advanceTimersByTimeAsync(LEASE_MS * 3);
      expect(alice.closes).toEqual([]);
      expect(manager.find("alice")?.state).toBe("live");
    });

    it("ends every broadcast on close: publishers disconnected, rows closed", async () => {
      const { manager, store } = setup();
      const alice = connection();
      const bob = connection();
      await manager.admit(publish(KEY), alice);
      await manager.admit(publish(OTHER_KEY), bob);
      await manager.close();
      expect(alice.closes).toEqual(["broadcast ending"]);
      expect(bob.closes).toEqual(["broadcast ending"]);
      expect(store.closed.map(([id]) => id).sort()).toEqual(["broadcast-1", "broadcast-2"]);
      expect(manager.list()).toEqual([]);
    });

    it("records the peak of the sampled viewer counts", async () => {
      const { manager, store, viewers } = setup();
      await manager.admit(publish(KEY), connection());
      for (const count of [2, 7, 4]) {
        viewers.count = count;
        manager.recordViewers();
      }
      viewers.count = 0;
      await manager.close();
      expect(store.closed[0]![1].peakViewers).toBe(7);
    });
  });
});

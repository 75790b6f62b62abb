import { describe, expect, it } from "vitest";
import { HlsAudience } from "./hls-audience.ts";

describe("HlsAudience", () => {
  it("counts a channel's distinct clients seen in the last 10 seconds", () => {
    const audience = new HlsAudience();
    audience.seen("alice", "10.0.0.1", 0);
    audience.seen("alice", "10.0.0.1", 2_000);
    audience.seen("alice", "10.0.0.2", 4_000);
    expect(audience.count("alice", 4_000)).toBe(2);
  });

  it("counts an address once, IPv4-mapped or not, and an IPv6 /64 once", () => {
    const audience = new HlsAudience();
    audience.seen("alice", "10.0.0.1", 0);
    audience.seen("alice", "::ffff:10.0.0.1", 0);
    audience.seen("alice", "2001:db8:1:2::1", 0);
    audience.seen("alice", "2001:db8:1:2::99", 0);
    expect(audience.count("alice", 0)).toBe(2);
  });

  it("stops counting a client 10 seconds after its last playlist fetch", () => {
    const audience = new HlsAudience();
    audience.seen("alice", "10.0.0.1", 0);
    audience.seen("alice", "10.0.0.2", 5_000);
    expect(audience.count("alice", 10_000)).toBe(2);
    expect(audience.count("alice", 10_001)).toBe(1);
    expect(audience.count("alice", 15_001)).toBe(0);
  });

  it("counts a client again once it fetches again", () => {
    const audience = new HlsAudience();
    audience.seen("alice", "10.0.0.1", 0);
    expect(audience.count("alice", 20_000)).toBe(0);
    audience.seen("alice", "10.0.0.1", 20_000);
    expect(audience.count("alice", 20_000)).toBe(1);
  });

  it("counts each channel separately, and nothing for a channel nobody watched", () => {
    const audience = new HlsAudience();
    audience.seen("alice", "10.0.0.1", 0);
    audience.seen("alice", "10.0.0.2", 0);
    audience.seen("bob", "10.0.0.1", 0);
    expect(audience.count("alice", 0)).toBe(2);
    expect(audience.count("bob", 0)).toBe(1);
    expect(audience.count("carol", 0)).toBe(0);
  });

  it("forgets a channel", () => {
    const audience = new HlsAudience();
    audience.seen("alice", "10.0.0.1", 0);
    audience.seen("bob", "10.0.0.1", 0);
    audience.forget("alice");
    expect(audience.count("alice", 0)).toBe(0);
    expect(audience.count("bob", 0)).toBe(1);
  });

  it("uses the current time by default", () => {
    const audience = new HlsAudience();
    audience.seen("alice", "10.0.0.1");
    expect(audience.count("alice")).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { resolveClientIp } from "./client-ip.ts";

const request = (forwarded?: string) => ({
  headers: forwarded ? { "x-forwarded-for": forwarded } : {},
  socket: { remoteAddress: "10.0.0.9" },
});

describe("resolveClientIp", () => {
  it("ignores X-Forwarded-For unless a proxy is trusted, so clients cannot pick their own IP", () => {
    expect(resolveClientIp(request("1.2.3.4"), false)).toBe("10.0.0.9");
  });

  it("takes the first hop behind a trusted proxy", () => {
    expect(resolveClientIp(request("1.2.3.4, 10.0.0.1"), true)).toBe("1.2.3.4");
    expect(resolveClientIp(request(), true)).toBe("10.0.0.9");
  });
});

import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address.ts";

describe("clientAddress", () => {
  it("believes X-Forwarded-For only from the local proxy", () => {
    expect(clientAddress("127.0.0.1", "203.0.113.9")).toBe("203.0.113.9");
    expect(clientAddress("::ffff:127.0.0.1", "10.0.0.1, 203.0.113.9")).toBe("203.0.113.9");
    expect(clientAddress("198.51.100.4", "203.0.113.9")).toBe("198.51.100.4");
  });

  it("ignores a forwarded value that is not an IP and unwraps IPv4-mapped addresses", () => {
    expect(clientAddress("127.0.0.1", "evil\r\nhost")).toBe("127.0.0.1");
    expect(clientAddress("::ffff:198.51.100.4", undefined)).toBe("198.51.100.4");
  });
});

import { describe, expect, it } from "vitest";
import { resolveClientAddress, trustedProxySet, ZTrustedProxies } from "./trusted-proxies.ts";

const proxies = trustedProxySet(["10.0.0.0/8", "192.0.2.1", "::1"]);

describe("ZTrustedProxies", () => {
  it("defaults to loopback and parses addresses and CIDR blocks", () => {
    expect(ZTrustedProxies.parse(undefined)).toEqual(["127.0.0.0/8", "::1"]);
    expect(ZTrustedProxies.parse(" 10.0.0.0/8, 192.0.2.1 ,fd00::/8,")).toEqual([
      "10.0.0.0/8",
      "192.0.2.1",
      "fd00::/8",
    ]);
    expect(ZTrustedProxies.parse("")).toEqual([]);
  });

  it("refuses what is not an address or a block", () => {
    for (const bad of ["proxy.local", "10.0.0.0/33", "::1/129", "10.0.0.1/8/1", "10.0.0.0/x"]) {
      expect(ZTrustedProxies.safeParse(bad).success).toBe(false);
    }
  });
});

describe("resolveClientAddress", () => {
  it("takes a peer that is not a trusted proxy at its socket address, whatever it forwards", () => {
    expect(resolveClientAddress("198.51.100.4", "203.0.113.9", proxies)).toBe("198.51.100.4");
  });

  it("takes the rightmost untrusted hop behind trusted proxies", () => {
    expect(resolveClientAddress("10.0.0.2", "203.0.113.9", proxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.2", "1.1.1.1, 203.0.113.9, 10.0.0.7", proxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("::1", ["6.6.6.6, 203.0.113.9", "192.0.2.1"], proxies)).toBe("203.0.113.9");
  });

  it("falls back to the socket address for a malformed hop or a chain of proxies only", () => {
    expect(resolveClientAddress("10.0.0.2", "evil\r\nhost", proxies)).toBe("10.0.0.2");
    expect(resolveClientAddress("10.0.0.2", "203.0.113.9, garbage", proxies)).toBe("10.0.0.2");
    expect(resolveClientAddress("10.0.0.2", "10.0.0.3", proxies)).toBe("10.0.0.2");
    expect(resolveClientAddress("10.0.0.2", undefined, proxies)).toBe("10.0.0.2");
  });

  it("unwraps IPv4-mapped addresses, on the socket and in the header", () => {
    expect(resolveClientAddress("::ffff:10.0.0.2", "::ffff:203.0.113.9", proxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("::ffff:198.51.100.4", undefined, proxies)).toBe("198.51.100.4");
  });

  it("trusts nobody with an empty list", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9", trustedProxySet([]))).toBe("127.0.0.1");
  });
});

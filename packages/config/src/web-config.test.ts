import { describe, expect, it } from "vitest";
import { ConfigError } from "./parse-env.ts";
import { loadWebConfig } from "./web-config.ts";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x", WEB_AUTH_SECRET: "s".repeat(32) };

describe("loadWebConfig", () => {
  it("fills the one-machine defaults", () => {
    const config = loadWebConfig(base);
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.trustedProxies).toEqual(["127.0.0.0/8", "::1"]);
    expect(config.loginLimits.failuresBeforeBackoff).toBe(5);
    expect(config.chatGatewayUrls).toEqual(["http://127.0.0.1:3001"]);
  });

  it("takes the chat gateways as http:// origins and refuses other schemes", () => {
    expect(loadWebConfig({ ...base, WEB_CHAT_GATEWAY_URL: "http://chat:4001/" }).chatGatewayUrls).toEqual([
      "http://chat:4001",
    ]);
    expect(
      loadWebConfig({ ...base, WEB_CHAT_GATEWAY_URL: "http://chat-1:3001, http://chat-2:3001" })
        .chatGatewayUrls,
    ).toEqual(["http://chat-1:3001", "http://chat-2:3001"]);
    expect(() => loadWebConfig({ ...base, WEB_CHAT_GATEWAY_URL: "https://chat:4001" })).toThrow(
      /WEB_CHAT_GATEWAY_URL/,
    );
    expect(() => loadWebConfig({ ...base, WEB_CHAT_GATEWAY_URL: "not a url" })).toThrow(
      /WEB_CHAT_GATEWAY_URL/,
    );
  });

  it("names every invalid variable in one error", () => {
    const load = () =>
      loadWebConfig({ DATABASE_URL: "mysql://x", WEB_AUTH_SECRET: "short", WEB_PORT: "99999" });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /DATABASE_URL[\s\S]*WEB_PORT[\s\S]*WEB_AUTH_SECRET|DATABASE_URL[\s\S]*WEB_AUTH_SECRET[\s\S]*WEB_PORT/,
    );
  });

  it("reduces the public URL to its origin", () => {
    expect(loadWebConfig({ ...base, WEB_PUBLIC_URL: "https://tv.example.com/some/path" }).publicUrl).toBe(
      "https://tv.example.com",
    );
  });

  it("tells a loopback-only install from a public one", () => {
    for (const url of [
      "http://localhost:3000",
      "http://127.0.0.1:3199",
      "http://[::1]:3000",
      "http://tv.localhost",
    ]) {
      expect(loadWebConfig({ ...base, WEB_PUBLIC_URL: url }).isLoopbackOnly).toBe(true);
    }
    for (const url of ["https://tv.example.com", "http://192.168.1.20:3000", "http://127.0.0.1.nip.io"]) {
      expect(loadWebConfig({ ...base, WEB_PUBLIC_URL: url }).isLoopbackOnly).toBe(false);
    }
  });
});

import { describe, expect, it } from "vitest";
import { deriveIrcCredentials } from "./irc-credentials.ts";

describe("deriveIrcCredentials", () => {
  it("derives the same distinct credentials from the same secret", () => {
    const first = deriveIrcCredentials("a-long-enough-irc-secret");
    expect(deriveIrcCredentials("a-long-enough-irc-secret")).toEqual(first);
    const passwords = [first.gatewayPassword, first.webircPassword, first.operPassword, first.linkPassword];
    expect(new Set(passwords).size).toBe(4);
    for (const password of passwords) expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(first.operName).toMatch(/^gateway_[0-9a-f]{8}$/);
  });

  it("derives other credentials from another secret, and refuses a short one", () => {
    const first = deriveIrcCredentials("a-long-enough-irc-secret");
    const second = deriveIrcCredentials("another-long-irc-secret");
    expect(second.gatewayPassword).not.toBe(first.gatewayPassword);
    expect(second.linkPassword).not.toBe(first.linkPassword);
    expect(() => deriveIrcCredentials("short")).toThrow("at least 16 characters");
  });
});

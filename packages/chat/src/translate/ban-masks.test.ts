import { describe, expect, it } from "vitest";
import { chatRestrictionMasks, usernameOfBanMask } from "./ban-masks.ts";

describe("chat restriction masks", () => {
  it("hold the account by its nicks and its web ident, never by an address", () => {
    expect(chatRestrictionMasks({ id: "abc123", username: "bob" }, "ban")).toEqual([
      "bob!*@*",
      "bob|web!*@*",
      "*!u_abc123@*",
    ]);
    expect(chatRestrictionMasks({ id: "abc123", username: "bob" }, "timeout")).toEqual([
      "m:bob!*@*",
      "m:bob|web!*@*",
      "m:*!u_abc123@*",
    ]);
  });

  it("read the account of a ban an IRC op set by nick", () => {
    expect(usernameOfBanMask("Bob!*@*")).toBe("bob");
    expect(usernameOfBanMask("bob")).toBe("bob");
    expect(usernameOfBanMask("bob|web!*@*")).toBe("bob");
    expect(usernameOfBanMask("*!*@203.0.113.9")).toBeNull();
    expect(usernameOfBanMask("bo*!*@*")).toBeNull();
    expect(usernameOfBanMask("m:bob!*@*")).toBeNull();
    expect(usernameOfBanMask("bob!~x@host")).toBeNull();
    expect(usernameOfBanMask("guest-1!*@*")).toBeNull();
  });
});

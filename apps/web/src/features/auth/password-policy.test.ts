import { describe, expect, it } from "vitest";
import { findPasswordWeakness } from "./password-policy.ts";

const who = { username: "alice", email: "alice.smith@example.com" };

describe("findPasswordWeakness", () => {
  it("accepts a long, varied password", () => {
    expect(findPasswordWeakness("correct horse battery", who)).toBeNull();
  });

  it.each([
    ["short1!", /at least 10/],
    ["x".repeat(10_000), /at most 128/],
    ["password123", /too common/],
    ["aaaaaaaaaaaaab", /different characters/],
    ["myalice-rocks-2026", /username or email/],
    ["alice.smith-2026!", /username or email/],
  ])("refuses %s", (password, reason) => {
    expect(findPasswordWeakness(password, who)).toMatch(reason);
  });
});

import { describe, expect, it } from "vitest";
import { describeRestriction } from "./describe-restriction.ts";

describe("describeRestriction", () => {
  it("tells a banned or timed-out user why, with the time left", () => {
    expect(describeRestriction(null)).toBeNull();
    expect(describeRestriction({ kind: "ban", expiresAt: null, reason: "spam", isGlobal: false })).toBe(
      "You are banned from this chat. Reason: spam",
    );
    expect(describeRestriction({ kind: "ban", expiresAt: null, reason: null, isGlobal: true })).toBe(
      "You are banned from every chat on this site.",
    );
    expect(
      describeRestriction(
        { kind: "timeout", expiresAt: new Date(10_500), reason: null, isGlobal: false },
        1_000,
      ),
    ).toBe("You are timed out for another 10 s.");
  });
});

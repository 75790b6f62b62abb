import { describe, expect, it } from "vitest";
import { ZUsername } from "./username-policy.ts";

describe("ZUsername", () => {
  it.each(["abc", "alice_2026", "A".repeat(25), "Zed_"])("accepts %s", (name) => {
    expect(ZUsername.safeParse(name).success).toBe(true);
  });

  it.each([
    ["ab", /at least 3/],
    ["a".repeat(26), /at most 25/],
    ["al ice", /letters, digits/],
    ["<script>", /letters, digits/],
    ["ålice", /letters, digits/],
    ["Admin", /reserved/],
    ["dashboard", /reserved/],
  ])("refuses %s", (name, reason) => {
    const result = ZUsername.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(reason);
  });
});

import { describe, expect, it } from "vitest";
import { ZChannelTitle } from "./schemas.ts";

describe("ZChannelTitle", () => {
  it("flattens control characters and runs of whitespace", () => {
    expect(ZChannelTitle.parse("  Speedrun\n\tday\u0000 2\u202e ")).toBe("Speedrun day 2");
  });

  it("keeps markup as plain text for the page to escape", () => {
    expect(ZChannelTitle.parse("<script>alert(1)</script>")).toBe("<script>alert(1)</script>");
  });

  it("refuses a title over 140 characters", () => {
    expect(ZChannelTitle.safeParse("x".repeat(141)).success).toBe(false);
  });
});

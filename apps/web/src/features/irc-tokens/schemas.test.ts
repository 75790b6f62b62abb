import { describe, expect, it } from "vitest";
import { MAX_IRC_TOKEN_LABEL_LENGTH, ZIrcTokenId, ZIrcTokenLabel } from "./schemas.ts";

describe("ZIrcTokenLabel", () => {
  it("keeps one clean line and treats blank as no label", () => {
    expect(ZIrcTokenLabel.parse("  laptop\tirssi\n")).toBe("laptop irssi");
    expect(ZIrcTokenLabel.parse("a\u0000b\u202ec")).toBe("a b c");
    expect(ZIrcTokenLabel.parse("   ")).toBeNull();
  });

  it("refuses a label that is too long", () => {
    expect(ZIrcTokenLabel.safeParse("x".repeat(MAX_IRC_TOKEN_LABEL_LENGTH + 1)).success).toBe(false);
  });
});

describe("ZIrcTokenId", () => {
  it("accepts only a UUID", () => {
    expect(ZIrcTokenId.safeParse("019ab3c4-1e2f-7a00-8000-000000000000").success).toBe(true);
    expect(ZIrcTokenId.safeParse("1 OR 1=1").success).toBe(false);
  });
});

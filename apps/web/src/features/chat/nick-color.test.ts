import { describe, expect, it } from "vitest";
import { nickColor } from "./nick-color.ts";

describe("nickColor", () => {
  it("gives a nick the same colour every time, whatever its case", () => {
    expect(nickColor("Alice")).toBe(nickColor("alice"));
    expect(nickColor("alice")).toMatch(/^hsl\(\d{1,3} 70% 72%\)$/);
  });

  it("spreads different nicks over different hues", () => {
    const hues = new Set(["alice", "bob", "carol", "dave", "erin", "frank"].map(nickColor));
    expect(hues.size).toBeGreaterThan(3);
  });
});

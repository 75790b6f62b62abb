import { describe, expect, it } from "vitest";
import { formatBytes } from "./format-bytes.ts";

describe("formatBytes", () => {
  it("uses the largest unit under 1000, one decimal below 10", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1_500)).toBe("1.5 KB");
    expect(formatBytes(52_400_000)).toBe("52 MB");
    expect(formatBytes(5_000_000_000)).toBe("5.0 GB");
    expect(formatBytes(3e15)).toBe("3000 TB");
  });
});

import { describe, expect, it } from "vitest";
import { ZRetentionDays } from "./schemas.ts";

describe("ZRetentionDays", () => {
  it("reads empty as forever and whole days from 1 to 3650", () => {
    expect(ZRetentionDays.parse("")).toBeNull();
    expect(ZRetentionDays.parse("  ")).toBeNull();
    expect(ZRetentionDays.parse("30")).toBe(30);
    expect(ZRetentionDays.parse(" 3650 ")).toBe(3650);
  });

  it("refuses anything else with one clear message", () => {
    for (const value of ["0", "-1", "1.5", "3651", "1e3", "thirty"]) {
      const result = ZRetentionDays.safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/whole number of days from 1 to 3650/);
    }
  });
});

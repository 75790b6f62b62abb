import { describe, expect, it } from "vitest";
import { describeSeconds } from "./describe-seconds.ts";

describe("describeSeconds", () => {
  it("uses the largest whole unit", () => {
    expect(describeSeconds(600)).toBe("10 minutes");
    expect(describeSeconds(90)).toBe("90 seconds");
    expect(describeSeconds(1)).toBe("1 second");
    expect(describeSeconds(3600)).toBe("1 hour");
    expect(describeSeconds(172_800)).toBe("2 days");
  });
});

import { describe, expect, it } from "vitest";
import { compileBlockedTerms } from "./blocked-terms.ts";

describe("compileBlockedTerms", () => {
  it("finds whole words and phrases, whatever the case", () => {
    const blocked = compileBlockedTerms(["buy followers", "scam"]);
    expect(blocked("Want to BUY FOLLOWERS cheap?")).toBe("buy followers");
    expect(blocked("that is a scam!")).toBe("scam");
    expect(blocked("scampi for dinner")).toBeNull();
    expect(blocked("hello")).toBeNull();
  });

  it("lets * stand for letters within a word", () => {
    const blocked = compileBlockedTerms(["spam*", "*coin"]);
    expect(blocked("what a spammer")).toBe("spam*");
    expect(blocked("get shitcoin now")).toBe("*coin");
    expect(blocked("spa")).toBeNull();
  });

  it("takes terms with regex characters literally, and letters of any script", () => {
    const blocked = compileBlockedTerms(["c++", "ü.ber", "日本"]);
    expect(blocked("I write c++ daily")).toBe("c++");
    expect(blocked("üxber")).toBeNull();
    expect(blocked("ü.ber alles")).toBe("ü.ber");
    expect(compileBlockedTerms([" ", ""])("anything")).toBeNull();
  });
});

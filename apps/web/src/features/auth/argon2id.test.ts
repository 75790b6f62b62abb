import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./argon2id.ts";

describe("argon2id password hashing", () => {
  it("stores an argon2id hash that verifies the password and nothing else", async () => {
    const encoded = await hashPassword("correct horse battery");
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(encoded).not.toContain("correct horse battery");
    expect(await verifyPassword({ hash: encoded, password: "correct horse battery" })).toBe(true);
    expect(await verifyPassword({ hash: encoded, password: "correct horse batterz" })).toBe(false);
  });
});

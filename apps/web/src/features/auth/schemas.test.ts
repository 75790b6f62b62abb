import { describe, expect, it } from "vitest";
import { fieldErrorsOf, safeNextPath, ZLogInForm, ZSignUpForm } from "./schemas.ts";

describe("safeNextPath", () => {
  it("keeps local paths", () => {
    expect(safeNextPath("/dashboard")).toBe("/dashboard");
    expect(safeNextPath("/alice?tab=chat")).toBe("/alice?tab=chat");
  });

  it.each(["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", undefined])(
    "sends %s to the dashboard instead",
    (next) => expect(safeNextPath(next)).toBe("/dashboard"),
  );
});

describe("ZSignUpForm", () => {
  it("refuses markup in the email", () => {
    const result = ZSignUpForm.safeParse({ username: "alice", email: "<img src=x>@x.y", password: "x" });
    expect(result.success).toBe(false);
  });
});

describe("ZLogInForm", () => {
  it("refuses a password over 128 characters with a message that says so, before any hashing", () => {
    const result = ZLogInForm.safeParse({ identifier: "alice", password: "x".repeat(129) });
    expect(!result.success && fieldErrorsOf(result.error)).toEqual({
      password: "Passwords are at most 128 characters.",
    });
    expect(ZLogInForm.safeParse({ identifier: "alice", password: "x".repeat(128) }).success).toBe(true);
  });
});

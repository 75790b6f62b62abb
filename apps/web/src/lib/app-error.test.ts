import { describe, expect, it } from "vitest";
import { AppError, apiRoute, formAction, httpStatusOf } from "./app-error.ts";

describe("AppError", () => {
  it("maps each code to its HTTP status", () => {
    expect(new AppError("FORBIDDEN", "no").httpStatus).toBe(403);
    expect(httpStatusOf("NOT_FOUND")).toBe(404);
    expect(httpStatusOf("RATE_LIMITED")).toBe(429);
    expect(httpStatusOf("UNAVAILABLE")).toBe(503);
  });

  it("is answered by an API route as JSON with its status and code", async () => {
    const route = apiRoute(async (name: string) => {
      if (name === "x") throw new AppError("NOT_FOUND", "There is no channel named x.");
      return Response.json({ name });
    });
    const refused = await route("x");
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({
      error: { code: "NOT_FOUND", message: "There is no channel named x." },
    });
    expect((await route("bob")).status).toBe(200);
  });

  it("leaves any other error to the server (a 500)", async () => {
    const route = apiRoute(async () => {
      throw new Error("database down");
    });
    await expect(route()).rejects.toThrow("database down");
  });

  it("becomes a form action's error message", async () => {
    expect(await formAction(async () => ({ isSaved: true }))).toEqual({ isSaved: true });
    expect(
      await formAction(async (): Promise<{ error?: string }> => {
        throw new AppError("FORBIDDEN", "Only the owner can do that.");
      }),
    ).toEqual({ error: "Only the owner can do that." });
  });
});

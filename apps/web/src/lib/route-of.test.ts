import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { routeOf } from "./route-of.ts";

const APP_DIR = fileURLToPath(new URL("../app", import.meta.url));

/** Every page and route handler of the app, as a URL path with its parameters named (`/videos/:id`). */
function appRoutes(dir = APP_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return appRoutes(join(dir, entry.name));
    if (entry.name !== "page.tsx" && entry.name !== "route.ts") return [];
    const segments = relative(APP_DIR, dir)
      .split(sep)
      .filter((segment) => segment !== "" && !/^\(.+\)$/.test(segment))
      .map((segment) => segment.replace(/^\[(.+)\]$/, ":$1"));
    return [`/${segments.join("/")}`];
  });
}

describe("routeOf", () => {
  it("names every route of the app, its parameters replaced", () => {
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const example = route.replace(/:[a-z]+/g, "abc_123");
      expect(routeOf(example), example).toBe(route);
    }
  });

  it("keeps names and ids out of the label, and the query string too", () => {
    expect(routeOf("/alice?ref=home")).toBe("/:channel");
    expect(routeOf("/api/v1/channels/alice/videos")).toBe("/api/v1/channels/:name/videos");
    expect(routeOf("/_next/static/chunks/app.js")).toBe("/_next");
    expect(routeOf("/api/v1/nothing/here")).toBe("/api/other");
    expect(routeOf("/a/b/c/d")).toBe("other");
  });
});

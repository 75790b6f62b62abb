/**
 * The route a request path belongs to, as metrics label it: the app's route with its parameters
 * named (`/api/v1/channels/:name`), so a label never holds a channel name or an id.
 */
const ROUTES = [
  "/",
  "/login",
  "/signup",
  "/forgot-password",
  "/reset-password",
  "/settings",
  "/dashboard",
  "/dashboard/audit-log",
  "/dashboard/stream-health",
  "/admin",
  "/admin/audit-log",
  "/videos/:id",
  "/api/v1/admin/users",
  "/api/v1/admin/users/:username/suspension",
  "/api/v1/channels",
  "/api/v1/channels/:name",
  "/api/v1/channels/:name/events",
  "/api/v1/channels/:name/moderation",
  "/api/v1/channels/:name/moderation/log",
  "/api/v1/channels/:name/play",
  "/api/v1/channels/:name/videos",
  "/api/v1/chat/token",
  "/api/v1/directory/events",
  "/api/v1/ingest",
  "/api/v1/videos/:id",
  // Channel pages last: any other single segment is a channel.
  "/:channel",
  "/:channel/chat",
  "/:channel/videos",
];

const MATCHERS = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.replace(/:[a-z]+/g, "[^/]+")}$`),
}));

export function routeOf(url: string): string {
  const path = url.split("?")[0]!.replace(/(.)\/+$/, "$1");
  if (path.startsWith("/_next/")) return "/_next";
  if (path.startsWith("/api/")) {
    const api = MATCHERS.find(({ route, pattern }) => route.startsWith("/api/") && pattern.test(path));
    return api?.route ?? "/api/other";
  }
  return MATCHERS.find(({ pattern }) => pattern.test(path))?.route ?? "other";
}

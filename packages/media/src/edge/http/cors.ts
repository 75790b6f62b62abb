import type { ServerResponse } from "node:http";

/** Media is fetched cross-origin by the web site's player (mpegts.js, VHS). */
export function setCors(response: ServerResponse, origin: string): void {
  response.setHeader("access-control-allow-origin", origin);
  response.setHeader("access-control-allow-methods", "GET, OPTIONS");
  response.setHeader("access-control-allow-headers", "range");
  response.setHeader("access-control-max-age", "86400");
  if (origin !== "*") response.setHeader("vary", "origin");
}

import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export type SecurityHeaderOptions = {
  /** WEB_PUBLIC_URL is https: HSTS, and every cookie `Secure`. */
  isHttps: boolean;
  /** The dev server's hot reload evaluates code. */
  isDev: boolean;
  /** Where the browser plays and fetches thumbnails from, for this request's Host: every media node. */
  mediaOriginsFor(hostHeader: string | undefined): string[];
};

const HSTS = "max-age=31536000";

/**
 * Scripts run only from this origin or with this response's nonce (Next.js puts it on its own
 * inline scripts: it reads it from the request's Content-Security-Policy header). Styles may be
 * inline (video.js sets them); media, images and connections may also reach the media node.
 */
export function contentSecurityPolicy({
  nonce,
  mediaOrigins,
  isDev,
}: {
  nonce: string;
  mediaOrigins: string[];
  isDev: boolean;
}): string {
  const mediaOrigin = mediaOrigins.join(" ");
  const mediaSocketOrigin = mediaOrigins.map((origin) => origin.replace(/^http/, "ws")).join(" ");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${mediaOrigin}`,
    `media-src 'self' blob: ${mediaOrigin}`,
    `connect-src 'self' ${mediaOrigin} ${mediaSocketOrigin}`,
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/**
 * Sets the Content-Security-Policy (a fresh nonce per request, on the request too so that the
 * pages use it), and on an https site HSTS and `Secure` on every cookie any route sets.
 */
export function applySecurityHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  options: SecurityHeaderOptions,
) {
  const policy = contentSecurityPolicy({
    nonce: randomBytes(16).toString("base64"),
    mediaOrigins: options.mediaOriginsFor(request.headers.host),
    isDev: options.isDev,
  });
  request.headers["content-security-policy"] = policy;
  response.setHeader("content-security-policy", policy);
  if (!options.isHttps) return;
  response.setHeader("strict-transport-security", HSTS);
  // Every response passes through writeHead (Node calls it for implicit headers too).
  const writeHead = response.writeHead;
  response.writeHead = function writeHeadWithSecureCookies(this: ServerResponse, ...args: unknown[]) {
    const cookies = response.getHeader("set-cookie");
    if (cookies !== undefined) {
      response.setHeader(
        "set-cookie",
        [cookies].flat().map((cookie) => withSecure(String(cookie))),
      );
    }
    return (writeHead as (...rest: unknown[]) => ServerResponse).apply(this, args);
  } as typeof writeHead;
}

export function withSecure(cookie: string): string {
  return /;\s*secure\s*(;|$)/i.test(cookie) ? cookie : `${cookie}; Secure`;
}

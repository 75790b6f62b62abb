import { z } from "zod";

/**
 * Names a channel can never take: our own routes (a channel lives at /<name>) and names that would
 * mislead viewers or collide with media and chat paths.
 */
export const RESERVED_USERNAMES = new Set([
  "about",
  "admin",
  "administrator",
  "api",
  "app",
  "assets",
  "auth",
  "chat",
  "dashboard",
  "directory",
  "favicon",
  "flv",
  "health",
  "healthz",
  "help",
  "hls",
  "irc",
  "live",
  "login",
  "logout",
  "media",
  "metrics",
  "mod",
  "moderator",
  "null",
  "play",
  "popout",
  "public",
  "readyz",
  "relaycast",
  "root",
  "rtmp",
  "search",
  "settings",
  "signin",
  "signup",
  "socket_io",
  "staff",
  "static",
  "support",
  "system",
  "undefined",
  "user",
  "users",
  "video",
  "videos",
  "vod",
  "www",
]);

export const ZUsername = z
  .string()
  .trim()
  .min(3, "Username must be at least 3 characters.")
  .max(25, "Username must be at most 25 characters.")
  .regex(/^[A-Za-z0-9_]+$/, "Username may use only letters, digits and underscores.")
  .refine((name) => !RESERVED_USERNAMES.has(name.toLowerCase()), "That username is reserved.");

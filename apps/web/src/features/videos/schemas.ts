import { z } from "zod";
import { ZChannelTitle } from "../channels/schemas.ts";

/** The longest retention a channel can set: ten years. */
export const MAX_RETENTION_DAYS = 3650;

/** "Keep videos for N days": a whole number of days, or empty to keep them forever (null). */
export const ZRetentionDays = z.string().transform((raw, context): number | null => {
  const value = raw.trim();
  if (value === "") return null;
  const days = Number(value);
  if (/^\d+$/.test(value) && days >= 1 && days <= MAX_RETENTION_DAYS) return days;
  context.addIssue({
    code: "custom",
    message: `Enter a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or leave it empty to keep videos forever.`,
  });
  return z.NEVER;
});

/** A video's title follows the channel title's rules. */
export const ZVideoTitle = ZChannelTitle;

export const ZVideoId = z.string().regex(/^[0-9a-f-]{36}$/);

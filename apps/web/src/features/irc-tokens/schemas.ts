import { z } from "zod";

export const MAX_IRC_TOKEN_LABEL_LENGTH = 60;
/** Tokens one account may hold at once; revoke one to issue another. */
export const MAX_ACTIVE_IRC_TOKENS = 10;

/** A token's label: one line of text, control characters removed; empty means none. */
export const ZIrcTokenLabel = z
  .string()
  .transform((label) =>
    label
      .replace(/[\p{Cc}\p{Cf}]/gu, " ")
      .replace(/\s+/g, " ")
      .trim(),
  )
  .pipe(
    z
      .string()
      .max(MAX_IRC_TOKEN_LABEL_LENGTH, `Label must be at most ${MAX_IRC_TOKEN_LABEL_LENGTH} characters.`),
  )
  .transform((label) => label || null);

export const ZIrcTokenId = z.uuid("Unknown token.");

import { z } from "zod";

export const MAX_TITLE_LENGTH = 140;

/** A channel title: one line of text; control characters removed. */
export const ZChannelTitle = z
  .string()
  .transform((title) =>
    title
      .replace(/[\p{Cc}\p{Cf}]/gu, " ")
      .replace(/\s+/g, " ")
      .trim(),
  )
  .pipe(z.string().max(MAX_TITLE_LENGTH, `Title must be at most ${MAX_TITLE_LENGTH} characters.`));

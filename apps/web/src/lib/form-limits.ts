/** Bodies larger than this are refused before any route sees them (forms are a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

/** What the server answers an oversized body with, and what the form then shows. */
export const BODY_TOO_LARGE_MESSAGE = "That is too much text to send: a form may hold at most 64 KB.";

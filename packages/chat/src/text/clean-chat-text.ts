/**
 * Chat text as every reader gets it: mIRC formatting codes (colours with their digits, bold, …),
 * other control characters and bidirectional overrides removed, line breaks and tabs turned into
 * spaces, trimmed. Applied to what the web sends and to what IRC delivers.
 */
// eslint-disable-next-line no-control-regex -- matching control codes is the point
const IRC_COLOR_CODES = /\x03(?:\d{1,2}(?:,\d{1,2})?)?|\x04(?:[0-9a-fA-F]{6}(?:,[0-9a-fA-F]{6})?)?/g;
const LINE_BREAKS_AND_TABS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
// C0 and C1 controls, DEL, and the bidi embeddings/overrides/isolates that can disguise a line.
// eslint-disable-next-line no-control-regex -- matching control codes is the point
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function cleanChatText(text: string): string {
  return text.replace(IRC_COLOR_CODES, "").replace(LINE_BREAKS_AND_TABS, " ").replace(CONTROLS, "").trim();
}

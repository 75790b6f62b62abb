/**
 * A chat line's text cut into parts the panel renders as React text: plain runs, http(s) links and
 * mentions of the viewer. Pure; nothing here produces HTML.
 */
export type TChatTextPart =
  | { kind: "text"; text: string }
  | { kind: "link"; text: string; href: string }
  | { kind: "mention"; text: string };

/** A scheme at a word start, then anything up to whitespace or a character that cannot end a URL here. */
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Characters that end a sentence around a URL more often than they end the URL itself. */
const TRAILING_PUNCTUATION = /[.,;:!?*_~]$/;
const CLOSING_TO_OPENING: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

export function tokenizeChatText(text: string, username: string | null): TChatTextPart[] {
  const parts: TChatTextPart[] = [];
  let rest = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const candidate = trimUrl(match[0]);
    const href = safeHref(candidate);
    if (!href) continue;
    if (match.index > rest) parts.push(...mentionParts(text.slice(rest, match.index), username));
    parts.push({ kind: "link", text: candidate, href });
    rest = match.index + candidate.length;
  }
  if (rest < text.length) parts.push(...mentionParts(text.slice(rest), username));
  return parts;
}

/** Whether a line names the viewer: their username, with or without `@`, as a whole word. */
export function mentionsUser(text: string, username: string | null): boolean {
  return Boolean(username) && mentionPattern(username!).test(text);
}

/** Drops sentence punctuation and unbalanced closing brackets from a URL's end. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1) ?? "";
    const opening = CLOSING_TO_OPENING[last];
    if (TRAILING_PUNCTUATION.test(last)) url = url.slice(0, -1);
    else if (opening && count(url, opening) < count(url, last)) url = url.slice(0, -1);
    else return url;
  }
}

/** The URL as an href when it is a well-formed http(s) URL with a host; null otherwise. */
export function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) return null;
  return url.href;
}

function mentionParts(text: string, username: string | null): TChatTextPart[] {
  if (!username) return [{ kind: "text", text }];
  const parts: TChatTextPart[] = [];
  let rest = 0;
  for (const match of text.matchAll(mentionPattern(username, "g"))) {
    if (match.index > rest) parts.push({ kind: "text", text: text.slice(rest, match.index) });
    parts.push({ kind: "mention", text: match[0] });
    rest = match.index + match[0].length;
  }
  if (rest < text.length) parts.push({ kind: "text", text: text.slice(rest) });
  return parts;
}

/** `name` or `@name`, case-insensitive, not inside a longer word or an address like `a@name`. */
function mentionPattern(username: string, flags = ""): RegExp {
  const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w@])@?${escaped}(?!\\w)`, `i${flags}`);
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

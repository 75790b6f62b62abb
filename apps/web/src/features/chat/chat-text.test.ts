import { describe, expect, it } from "vitest";
import { mentionsUser, safeHref, tokenizeChatText } from "./chat-text.ts";

describe("tokenizeChatText", () => {
  it("leaves plain text as one part", () => {
    expect(tokenizeChatText("hello <b>there</b>", null)).toEqual([
      { kind: "text", text: "hello <b>there</b>" },
    ]);
  });

  it("links http and https URLs and keeps the text around them", () => {
    expect(tokenizeChatText("see https://example.com/a?b=1 and http://x.test", null)).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { kind: "text", text: " and " },
      { kind: "link", text: "http://x.test", href: "http://x.test/" },
    ]);
  });

  it("never links other schemes", () => {
    for (const text of [
      "javascript:alert(1)",
      "data:text/html,<script>",
      "ftp://x.test/f",
      "JAVASCRIPT://x.test",
    ]) {
      expect(tokenizeChatText(text, null).every((part) => part.kind === "text")).toBe(true);
    }
    expect(tokenizeChatText("xhttps://x.test", null)).toEqual([{ kind: "text", text: "xhttps://x.test" }]);
  });

  it("leaves sentence punctuation and unbalanced brackets outside the link", () => {
    expect(tokenizeChatText("look: https://x.test/a.", null)).toEqual([
      { kind: "text", text: "look: " },
      { kind: "link", text: "https://x.test/a", href: "https://x.test/a" },
      { kind: "text", text: "." },
    ]);
    expect(tokenizeChatText("(https://x.test/a)", null)[1]).toMatchObject({ text: "https://x.test/a" });
    expect(tokenizeChatText("https://en.wikipedia.org/wiki/Foo_(bar)", null)[0]).toMatchObject({
      text: "https://en.wikipedia.org/wiki/Foo_(bar)",
    });
  });

  it("does not let quotes or angle brackets into a link", () => {
    const parts = tokenizeChatText('https://x.test/"onmouseover="alert(1)', null);
    expect(parts[0]).toEqual({ kind: "link", text: "https://x.test/", href: "https://x.test/" });
  });

  it("marks mentions of the viewer, with or without @, in any case", () => {
    expect(tokenizeChatText("hi @Alice and alice, not alice_b or bob@alice", "alice")).toEqual([
      { kind: "text", text: "hi " },
      { kind: "mention", text: "@Alice" },
      { kind: "text", text: " and " },
      { kind: "mention", text: "alice" },
      { kind: "text", text: ", not alice_b or bob@alice" },
    ]);
  });

  it("does not look for mentions inside links", () => {
    expect(tokenizeChatText("https://x.test/alice", "alice")).toEqual([
      { kind: "link", text: "https://x.test/alice", href: "https://x.test/alice" },
    ]);
  });
});

describe("mentionsUser", () => {
  it("finds the username as a whole word", () => {
    expect(mentionsUser("hey @alice!", "alice")).toBe(true);
    expect(mentionsUser("ALICE: look", "alice")).toBe(true);
    expect(mentionsUser("malice aforethought", "alice")).toBe(false);
    expect(mentionsUser("alice2 is here", "alice")).toBe(false);
    expect(mentionsUser("hey alice", null)).toBe(false);
  });
});

describe("safeHref", () => {
  it("accepts only http(s) URLs with a host", () => {
    expect(safeHref("https://x.test/a b")).toBe("https://x.test/a%20b");
    expect(safeHref("http://")).toBeNull();
    expect(safeHref("javascript:alert(1)")).toBeNull();
  });
});

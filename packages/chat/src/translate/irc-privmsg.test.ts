import { describe, expect, it } from "vitest";
import { ircPrivmsg } from "./irc-privmsg.ts";

describe("ircPrivmsg", () => {
  it("writes the text as the trailing parameter", () => {
    expect(ircPrivmsg("#bob", "hi: there")).toBe("PRIVMSG #bob :hi: there");
  });

  it("tags a reply with +draft/reply", () => {
    expect(ircPrivmsg("#bob", "yes", "0AA~1795537084~42")).toBe(
      "@+draft/reply=0AA~1795537084~42 PRIVMSG #bob :yes",
    );
  });
});

import { describe, expect, it } from "vitest";
import { channelNameOf, ircChannel, usernameOfNick } from "./irc-names.ts";

describe("IRC names", () => {
  it("maps channels both ways and refuses what is not a platform channel", () => {
    expect(ircChannel("alice")).toBe("#alice");
    expect(channelNameOf("#Alice")).toBe("alice");
    expect(channelNameOf("alice")).toBeNull();
    expect(channelNameOf("#a")).toBeNull();
    expect(channelNameOf("#foo-bar")).toBeNull();
  });

  it("reads the account behind a nick; guests and odd nicks have none", () => {
    expect(usernameOfNick("Alice")).toBe("alice");
    expect(usernameOfNick("alice|web")).toBe("alice");
    expect(usernameOfNick("guest-42")).toBeNull();
    expect(usernameOfNick("rc-gw-x1y2")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { irssiCommands, weechatCommands } from "./irc-client-settings.ts";

const settings = { host: "tv.example.com", port: 6667, nick: "alice", token: "irc_abc" };

describe("IRC client commands", () => {
  it("gives irssi the password and nick after the port", () => {
    expect(irssiCommands(settings)).toEqual({
      quick: "/connect tv.example.com 6667 irc_abc alice",
      saved: [
        "/network add -nick alice relaycast",
        "/server add -auto -network relaycast tv.example.com 6667 irc_abc",
        "/connect relaycast",
      ],
    });
  });

  it("gives WeeChat a plain-text server with the token as its password", () => {
    expect(weechatCommands(settings)).toEqual([
      "/server add relaycast tv.example.com/6667 -notls -password=irc_abc",
      "/set irc.server.relaycast.nicks alice",
      "/connect relaycast",
    ]);
  });
});

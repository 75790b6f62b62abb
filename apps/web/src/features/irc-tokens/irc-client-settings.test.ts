import { describe, expect, it } from "vitest";
import { irssiCommands, weechatCommands } from "./irc-client-settings.ts";

const tls = { host: "tv.example.com", port: 6697, isTls: true, nick: "alice", token: "irc_abc" };
const plain = { ...tls, port: 6667, isTls: false };

describe("IRC client commands", () => {
  it("gives irssi the TLS port, then the password and nick", () => {
    expect(irssiCommands(tls)).toEqual({
      quick: "/connect -tls tv.example.com 6697 irc_abc alice",
      saved: [
        "/network add -nick alice relaycast",
        "/server add -auto -tls -network relaycast tv.example.com 6697 irc_abc",
        "/connect relaycast",
      ],
    });
    expect(irssiCommands(plain).quick).toBe("/connect tv.example.com 6667 irc_abc alice");
  });

  it("gives WeeChat a TLS server with the token as its password, or says -notls for plain text", () => {
    expect(weechatCommands(tls)).toEqual([
      "/server add relaycast tv.example.com/6697 -tls -password=irc_abc",
      "/set irc.server.relaycast.nicks alice",
      "/connect relaycast",
    ]);
    expect(weechatCommands(plain)[0]).toBe(
      "/server add relaycast tv.example.com/6667 -notls -password=irc_abc",
    );
  });
});

import { describe, expect, it } from "vitest";
import { ircTextBudget } from "./irc-text-budget.ts";

describe("ircTextBudget", () => {
  it("leaves room for the longest prefix the server can relay", () => {
    const nick = "a".repeat(25);
    const ident = `u_${"b".repeat(32)}`;
    const channel = `#${"c".repeat(25)}`;
    const budget = ircTextBudget({ nick, ident, channel });
    const relayed = `:${nick}!${ident}@${"h".repeat(64)} PRIVMSG ${channel} :${"x".repeat(budget)}\r\n`;
    expect(Buffer.byteLength(relayed)).toBe(512);
  });
});

/** An IRC line is at most 512 bytes with its CRLF; message tags have their own budget. */
const IRC_LINE_BYTES = 512;
/** InspIRCd's default `<limits maxhost>`: the longest host a relayed prefix can carry. */
const MAX_HOST_BYTES = 64;

/**
 * How many bytes of text one PRIVMSG may carry so that the line the server relays to others,
 * `:nick!ident@host PRIVMSG #channel :text\r\n`, still fits in 512 bytes. Longer text is split.
 */
export function ircTextBudget({ nick, ident, channel }: { nick: string; ident: string; channel: string }) {
  const prefix = `:${nick}!${ident}@${"h".repeat(MAX_HOST_BYTES)} PRIVMSG ${channel} :`;
  return IRC_LINE_BYTES - 2 - Buffer.byteLength(prefix);
}

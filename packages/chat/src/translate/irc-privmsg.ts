/**
 * A channel line as one raw IRC PRIVMSG, with the IRCv3 reply tag when it answers a line. The text
 * has no line breaks (cleanChatText) and a msgid no tag syntax (ZChatSend), so nothing is escaped.
 */
export function ircPrivmsg(target: string, text: string, replyTo?: string): string {
  const tags = replyTo ? `@+draft/reply=${replyTo} ` : "";
  return `${tags}PRIVMSG ${target} :${text}`;
}

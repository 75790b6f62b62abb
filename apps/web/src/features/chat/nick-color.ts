/** A stable, readable colour for a nick on the dark chat background: the same nick, the same hue. */
export function nickColor(nick: string): string {
  let hash = 2166136261;
  for (const character of nick.toLowerCase()) {
    hash ^= character.codePointAt(0)!;
    hash = Math.imul(hash, 16777619);
  }
  return `hsl(${(hash >>> 0) % 360} 70% 72%)`;
}

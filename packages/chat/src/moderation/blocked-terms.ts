/**
 * A channel's blocked terms as one test: words or phrases, case-insensitive, matched as whole
 * words; `*` stands for any letters within a word (`spam*` holds "spammer"). Returns the first term
 * a text contains, or null.
 */
export function compileBlockedTerms(terms: readonly string[]): (text: string) => string | null {
  const compiled = terms
    .map((term) => term.trim())
    .filter(Boolean)
    .map((term) => ({
      term,
      pattern: new RegExp(
        `(?<![\\p{L}\\p{N}])${term
          .split("*")
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join("[\\p{L}\\p{N}]*")}(?![\\p{L}\\p{N}])`,
        "iu",
      ),
    }));
  return (text) => compiled.find(({ pattern }) => pattern.test(text))?.term ?? null;
}

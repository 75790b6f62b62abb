/**
 * Many open pages poll the same thing: one fetch per key at a time, reused for `maxAgeMs`, so the
 * database and the media node see one query per channel per interval, not one per viewer.
 */
export function sharedPoll<T>(maxAgeMs: number, fetch: (key: string) => Promise<T>) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (key: string): Promise<T> => {
    const now = Date.now();
    const entry = entries.get(key);
    if (entry && now - entry.at < maxAgeMs) return entry.value;
    const value = fetch(key);
    entries.set(key, { at: now, value });
    value.catch(() => entries.delete(key));
    for (const [other, { at }] of entries) if (now - at > maxAgeMs * 10) entries.delete(other);
    return value;
  };
}

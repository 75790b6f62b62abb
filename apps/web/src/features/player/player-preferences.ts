/** What a viewer chose, kept in their browser across channels and visits. */
export type TPlaybackPath = "low-latency" | "hls";

const PATH_KEY = "relaycast.player.path";
const VOLUME_KEY = "relaycast.player.volume";
const THEATRE_KEY = "relaycast.player.theatre";

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

const listeners = new Set<() => void>();

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private mode or storage full: the choice is not kept.
  }
  for (const listener of listeners) listener();
}

/** For `useSyncExternalStore`: preferences read on the client, re-read whenever one is written. */
export function subscribeToPreferences(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function readPath(): TPlaybackPath | null {
  const value = read(PATH_KEY);
  return value === "hls" || value === "low-latency" ? value : null;
}

export const writePath = (path: TPlaybackPath) => write(PATH_KEY, path);

export function readVolume(): { volume: number; muted: boolean } | null {
  try {
    const value = JSON.parse(read(VOLUME_KEY) ?? "null") as { volume?: unknown; muted?: unknown } | null;
    if (typeof value?.volume !== "number" || typeof value.muted !== "boolean") return null;
    return { volume: Math.min(1, Math.max(0, value.volume)), muted: value.muted };
  } catch {
    return null;
  }
}

export const writeVolume = (volume: number, muted: boolean) =>
  write(VOLUME_KEY, JSON.stringify({ volume, muted }));

export const readTheatre = () => read(THEATRE_KEY) === "true";
export const writeTheatre = (isTheatre: boolean) => write(THEATRE_KEY, String(isTheatre));

/**
 * When the live player gives up on its connection and asks the director for a new one, and how long
 * it waits first. Pure rules, with the clock passed in; the player component applies them.
 *
 * Any failure sends the player back to the director: a media error, the WebSocket closing (the code
 * 4302 "go elsewhere" from an edge over its capacity, an edge killed, any abnormal close), or a
 * stall. HTTP 302 redirects need nothing: fetch (HTTP-FLV) and VHS's requests (HLS) follow them.
 */

/** The first retry comes at once (an edge died or redirected: the director has another), then backs off. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2_000;
/** Playing, and the picture has not moved for this long: the connection is dead even if it never closed. */
export const STALL_MS = 3_000;
/** Before its first frame a connection gets longer: HLS fetches a playlist and a segment first. */
export const STARTUP_MS = 8_000;

/** The wait before a retry, after `failures` failures in a row before it: 250 ms, 500 ms, 1 s, then 2 s. */
export function retryDelayMs(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures));
}

/** What the director answers (GET /api/v1/channels/<name>/play), as far as the player reads it. */
export type TDirectorAnswer = {
  liveState: "live" | "reconnecting" | "offline";
  /** The media node the sources are on. */
  node: string | null;
};

/**
 * What to do about a stall, once the director has been asked again. While the broadcaster is away
 * (the channel is reconnecting) every viewer stalls and the edge holds the connection until the
 * stream resumes on it: if the director would still send this viewer to the same node, wait. Any
 * other stall is this connection's: switch to the sources the director gives now.
 */
export function stallVerdict(answer: TDirectorAnswer | null, currentNode: string | null): "wait" | "switch" {
  return answer?.liveState === "reconnecting" && answer.node === currentNode ? "wait" : "switch";
}

/**
 * Notices a stall from looks at the player (its current time, whether the viewer paused it), taken
 * every second or so. A paused player is never stalled.
 */
export class StallWatch {
  #lastTime = Number.NaN;
  #since: number;
  #hasMoved = false;

  constructor(now: number) {
    this.#since = now;
  }

  /** Takes one look; true when the picture has not moved for too long. */
  isStalled({ time, isPaused, now }: { time: number; isPaused: boolean; now: number }): boolean {
    const hasMoved = !Number.isNaN(this.#lastTime) && time !== this.#lastTime;
    this.#lastTime = time;
    this.#hasMoved ||= hasMoved;
    if (isPaused || hasMoved) {
      this.#since = now;
      return false;
    }
    return now - this.#since >= (this.#hasMoved ? STALL_MS : STARTUP_MS);
  }

  /** Starts counting again, after a stall the player decided to wait out. */
  rearm(now: number): void {
    this.#since = now;
  }
}

import type { MediaNode } from "../media-node.ts";
import type { Corpus } from "./corpus.ts";
import type { Random } from "./random.ts";

export type FuzzContext = { node: MediaNode; corpus: Corpus };

/** One fuzzed session: everything it does is decided by `random`, so its seed replays it exactly. */
export type FuzzTarget = (random: Random, context: FuzzContext) => Promise<void>;

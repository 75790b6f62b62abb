import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseRtmpSession, type RtmpSession } from "./rtmp-session.ts";

/** The recorded sessions every fuzzed session starts from (see record-corpus.ts). */
export type Corpus = { publish: RtmpSession; play: RtmpSession; flv: Buffer };

const CORPUS = fileURLToPath(new URL("./corpus/", import.meta.url));

export async function loadCorpus(): Promise<Corpus> {
  const [publish, play, flv] = await Promise.all(
    ["publish.rtmp", "play.rtmp", "stream.flv"].map((file) => readFile(`${CORPUS}${file}`)),
  );
  return { publish: parseRtmpSession(publish!), play: parseRtmpSession(play!), flv: flv! };
}

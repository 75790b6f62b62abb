/**
 * Records the fuzzer's seed sessions from a real ffmpeg against a real media node on loopback, and
 * writes them to corpus/: what an encoder sends to publish (publish.rtmp), what a player sends to play
 * (play.rtmp), and what an HTTP-FLV viewer receives (stream.flv). Run with `npm run fuzz -- record`;
 * the corpus is committed so that every seed replays the same session on any machine.
 */
import { writeFile } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import {
  getStream,
  killAllTestProcesses,
  memoryBroadcastStore,
  readFlv,
  runProcess,
  startTestMediaNode,
  waitFor,
} from "../testing/index.ts";
import { FUZZ_CHANNELS, FUZZ_KEYS } from "./fuzz-keys.ts";

const CORPUS = fileURLToPath(new URL("./corpus/", import.meta.url));

/** A loopback TCP proxy to `port` that keeps what clients sent, one buffer per connection. */
async function recordingProxy(port: number): Promise<{ server: Server; port: number; sessions: Buffer[][] }> {
  const sessions: Buffer[][] = [];
  const server = createServer((client) => {
    const sent: Buffer[] = [];
    sessions.push(sent);
    const upstream = connect(port, "127.0.0.1");
    client.on("data", (data: Buffer) => sent.push(Buffer.from(data)));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : 0, sessions };
}

export async function recordCorpus(): Promise<void> {
  const [key] = FUZZ_KEYS;
  const [channel] = FUZZ_CHANNELS;
  const media = await startTestMediaNode({ store: memoryBroadcastStore({ [key!]: channel! }).store });
  const proxy = await recordingProxy(media.ports.rtmp);
  try {
    const publisher = runProcess("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-nostdin", "-re"],
      ...["-f", "lavfi", "-i", "testsrc=size=128x96:rate=15", "-f", "lavfi", "-i", "sine=sample_rate=22050"],
      ...["-t", "1.2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "5", "-b:v", "100k"],
      ...[
        "-c:a",
        "aac",
        "-ac",
        "1",
        "-b:a",
        "32k",
        "-f",
        "flv",
        `rtmp://127.0.0.1:${proxy.port}/live/${key}`,
      ],
    ]);
    await waitFor(async () => (await getStream(media, channel!))?.health.video.codec, {
      timeoutMs: 10_000,
      message: "the publish",
    });
    const player = runProcess("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-nostdin"],
      ...[
        "-i",
        `rtmp://127.0.0.1:${proxy.port}/live/${channel}`,
        "-t",
        "0.3",
        "-c",
        "copy",
        "-f",
        "null",
        "-",
      ],
    ]);
    const flv = await readFlv(media.httpUrl(`/live/${channel}.flv`), { ms: 800 });
    await Promise.all([publisher.exited, player.exited]);
    const [publish, play] = proxy.sessions.map((sent) => Buffer.concat(sent));
    if (!publish || !play || !flv.bytes) throw new Error("ffmpeg did not publish and play through the proxy");
    await writeFile(`${CORPUS}publish.rtmp`, publish);
    await writeFile(`${CORPUS}play.rtmp`, play);
    await writeFile(`${CORPUS}stream.flv`, flv.bytes);
  } finally {
    proxy.server.close();
    await media.close();
    await killAllTestProcesses();
  }
}

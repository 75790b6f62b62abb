import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterEach, expect, it } from "vitest";
import { dbBroadcastStore } from "../live-state/db-broadcast-store.ts";
import {
  Cleanup,
  getStream,
  killAllTestProcesses,
  probe,
  publishTestStream,
  seedPublisher,
  startTestMediaNode,
  waitFor,
  within,
} from "../testing/index.ts";

const testDb = useTestDb();
const cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.run();
  await killAllTestProcesses();
});

/** A self-signed certificate for localhost, as an operator's would be. */
async function selfSignedCertificate() {
  const dir = cleanup.defer(await mkdtemp(join(tmpdir(), "relaycast-rtmps-")), (path) =>
    rm(path, { recursive: true, force: true }),
  );
  const files = { certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") };
  await promisify(execFile)("openssl", [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
    ...["-subj", "/CN=localhost", "-days", "1", "-keyout", files.keyFile, "-out", files.certFile],
  ]);
  return files;
}

it("takes a stream that ffmpeg publishes over RTMPS, and serves it like any other", async () => {
  const certificate = await selfSignedCertificate();
  const media = cleanup.defer(
    await startTestMediaNode({
      store: dbBroadcastStore(testDb.db(), "rtmps-node"),
      rtmps: { port: 0, ...certificate },
    }),
    (node) => node.close(),
  );
  const rtmpsPort = media.node.ports.rtmps!;
  const { channel, streamKey } = await seedPublisher(testDb.db());
  const publisher = cleanup.defer(
    publishTestStream(`rtmps://127.0.0.1:${rtmpsPort}/live/${streamKey}`),
    (each) => each.kill(),
  );
  await waitFor(async () => (await getStream(media, channel.name))?.health.video.codec, {
    timeoutMs: 15_000,
    message: "the RTMPS stream live",
  });
  const played = await probe(media.httpUrl(`/live/${channel.name}.flv`), { timeoutMs: 10_000 });
  expect(played.ok && played.streams.map((stream) => stream.codec_name).sort()).toEqual(["aac", "h264"]);

  // Plain RTMP to the TLS port is not RTMP: the encoder fails, and nothing goes live.
  const { streamKey: otherKey } = await seedPublisher(testDb.db());
  const plain = cleanup.defer(publishTestStream(`rtmp://127.0.0.1:${rtmpsPort}/live/${otherKey}`), (each) =>
    each.kill(),
  );
  const exit = await within(plain.exited, 20_000, "the plain-RTMP encoder's exit");
  expect(exit.code).not.toBe(0);

  // A clean stop cuts the RTMPS publisher, as it does an RTMP one, rather than waiting for it.
  await within(media.close(), 5_000, "the node to close with an RTMPS publisher on");
  expect((await within(publisher.exited, 10_000, "the RTMPS encoder's exit")).code).not.toBe(0);
});

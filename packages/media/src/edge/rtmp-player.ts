import type { Socket } from "node:net";
import type { PlayDecision, RtmpPlayer } from "../ingest/rtmp-connection.ts";
import { RTMP_PLAY_STREAM_ID, withStreamId } from "../rtmp/rtmp-message.ts";
import { corkedSink } from "./corked-sink.ts";
import type { LiveStream } from "./live-stream.ts";
import type { ViewerSink } from "./viewer.ts";

/** The RTMP application players play from: `rtmp://<host>/live/<channel>`. */
const PLAY_APP = "live";

/** Answers an RTMP play of `<app>/<name>`: the channel's live stream by name, never by stream key. */
export async function decideRtmpPlay(
  request: { app: string; name: string },
  find: (channel: string) => Promise<LiveStream | null>,
): Promise<PlayDecision> {
  const stream = request.app === PLAY_APP ? await find(request.name) : null;
  if (!stream) return { ok: false, description: "This channel is not live." };
  return { ok: true, attach: (player) => attachRtmpPlayer(stream, player) };
}

function attachRtmpPlayer(stream: LiveStream, player: RtmpPlayer): () => void {
  const viewer = stream.addViewer("rtmp", "rtmp", rtmpPlayerSink(player.socket, player.streamId));
  return () => {
    stream.removeViewer(viewer);
    viewer.close("stream-ended");
  };
}

/** Media goes out on the message stream the player played on (GStreamer ignores any other). */
function rtmpPlayerSink(socket: Socket, streamId: number): ViewerSink {
  const sink = corkedSink(socket, () => socket.destroy());
  if (streamId === RTMP_PLAY_STREAM_ID) return sink;
  return { ...sink, write: (buffers) => sink.write(buffers.map((buffer) => withStreamId(buffer, streamId))) };
}

export { Cleanup, sleep, waitFor, within } from "./wait.ts";
export {
  TEST_HOST,
  hangingBroadcastStore,
  memoryBroadcastStore,
  testStreamKey,
  startTestMediaNode,
  type TestMediaNode,
  type TestMediaNodeOptions,
} from "./test-media-node.ts";
export {
  killAllTestProcesses,
  publishTestStream,
  runProcess,
  type ProcessExit,
  type PublishTestStreamOptions,
  type TestPublisher,
} from "./ffmpeg.ts";
export { codecsOf, probe, type ProbeResult, type ProbedStream } from "./probe.ts";
export {
  FlvViewer,
  openFlv,
  openHttpFlv,
  openWsFlv,
  readFlv,
  type FlvReadLimit,
  type OpenFlvOptions,
  type ReceivedTag,
} from "./flv-reader.ts";
export {
  RawRtmpClient,
  amf0,
  publishMessage,
  rtmpChunks,
  rtmpCommand,
  type RtmpMessage,
} from "./rtmp-client.ts";
export { getMetrics, getStream, metricValue } from "./http-api.ts";
export { seedPublisher } from "./seed.ts";
export { StalledHttpViewer, forceGc, liveBufferBytes } from "./stalled-viewer.ts";
export { startMediaNodeProcess, type MediaNodeProcess } from "./media-node-process.ts";
export { playWithGstreamer, playWithMpv, type PlayerResult } from "./players.ts";
export { forgetfulBroadcastStore } from "./forgetful-broadcast-store.ts";
export { createTestNetwork, type TestHost, type TestNetwork } from "./hosts.ts";
export { freePort, isListening } from "./ports.ts";

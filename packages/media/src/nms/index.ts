export { RtmpProtocol, type RtmpProtocolEvents, type RtmpStreamRequest } from "./rtmp-protocol.ts";
export { routeNmsLogging } from "./nms-logging.ts";

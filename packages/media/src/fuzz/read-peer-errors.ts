import { once } from "node:events";
import type { MediaNode } from "../media-node.ts";
import { FuzzSocket } from "./fuzz-socket.ts";

/** The node's peer-error counters (`/metrics`, asked through a handed-over connection), by protocol and code. */
export async function readPeerErrors(node: MediaNode): Promise<Record<string, number>> {
  const socket = new FuzzSocket("127.0.0.1");
  socket.keepWrites();
  node.accept("http", socket.asSocket);
  const answered = once(socket, "finish");
  socket.deliver(Buffer.from("GET /metrics HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n"));
  await answered;
  socket.destroy();
  const text = Buffer.concat(socket.written).toString("utf8");
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(
    /^relaycast_media_peer_errors_total\{protocol="([^"]+)",code="([^"]+)"\} (\d+)/gm,
  ))
    counts[`${match[1]}:${match[2]}`] = Number(match[3]);
  return counts;
}

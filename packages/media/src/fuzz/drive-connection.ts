import type { MediaNode } from "../media-node.ts";
import { FuzzSocket } from "./fuzz-socket.ts";
import type { Random } from "./random.ts";

export const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const ADDRESSES = ["203.0.113.1", "203.0.113.2", "2001:db8::1", "::ffff:198.51.100.7"];

export type DriveOptions = {
  /** Wait for the node to answer (admission) before the rest of the bytes, like a real encoder. */
  waitAfterFirst?: number;
  /** Keep the connection open at the end (a publisher that stays, for a later session to race). */
  keepOpen?: boolean;
};

/**
 * One connection to the node, driven by the fuzzer: its writes arrive as a TCP peer's would, with the
 * node's event loop running in between at random points (so admission lands anywhere in the stream);
 * it ends with a FIN, a reset, or lingers, and resolves once the node has seen it close.
 */
export async function driveConnection(
  node: MediaNode,
  listener: "rtmp" | "http",
  writes: Buffer[],
  random: Random,
  options: DriveOptions = {},
): Promise<FuzzSocket> {
  const socket = new FuzzSocket(random.pick(ADDRESSES));
  node.accept(listener, socket.asSocket);
  if (random.chance(0.05)) socket.stall();
  for (const [index, piece] of writes.entries()) {
    if (socket.destroyed) break;
    socket.deliver(piece);
    if (index === 0 && options.waitAfterFirst)
      for (let turn = 0; turn < options.waitAfterFirst; turn++) await nextTick();
    else if (random.chance(0.2)) await nextTick();
  }
  if (options.keepOpen) return socket;
  const closed = new Promise<void>((resolve) =>
    socket.destroyed ? resolve() : socket.once("close", () => resolve()),
  );
  const ending = random.int(0, 2);
  if (ending === 0) socket.finish();
  for (let turn = random.int(0, 3); turn > 0; turn -= 1) await nextTick();
  if (ending !== 2 || random.chance(0.5)) socket.destroy();
  await Promise.race([closed, nextTick().then(nextTick)]);
  socket.destroy();
  await closed;
  return socket;
}

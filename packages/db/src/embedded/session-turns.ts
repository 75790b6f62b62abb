import { connect, type Socket } from "node:net";

/**
 * PGlite has one session, and @electric-sql/pglite-socket feeds it the messages of all connections one
 * message at a time, interleaved: one client's Parse/Bind/Execute would then use another's unnamed
 * statement and portal. So one client at a time talks to PGlite: from its first message until PGlite
 * is ready for the next query (ReadyForQuery, outside a transaction, no request half sent); the other
 * clients' messages wait here, in order of arrival.
 */
export class SessionTurns {
  private holder: Turn | null = null;
  private readonly waiting: Turn[] = [];

  request(turn: Turn): void {
    if (this.holder === turn || this.waiting.includes(turn)) return;
    if (this.holder) this.waiting.push(turn);
    else this.give(turn);
  }

  release(turn: Turn): void {
    const index = this.waiting.indexOf(turn);
    if (index !== -1) this.waiting.splice(index, 1);
    if (this.holder !== turn) return;
    this.holder = null;
    const next = this.waiting.shift();
    if (next) this.give(next);
  }

  holds(turn: Turn): boolean {
    return this.holder === turn;
  }

  private give(turn: Turn): void {
    this.holder = turn;
    turn.granted();
  }
}

type Turn = { granted(): void };

/** Length of the first whole typed message (type byte, int32 length) in `buffer`, or 0. */
function wholeMessageLength(buffer: Buffer): number {
  if (buffer.length < 5) return 0;
  const length = 1 + buffer.readInt32BE(1);
  return buffer.length >= length ? length : 0;
}

/**
 * A logged-in client's connection to PGlite, which answers the replayed startup message (the first
 * bytes), relayed whole messages at a time, in its turns.
 */
export function relayInTurns(
  socket: Socket,
  upstreamPath: string,
  firstBytes: Buffer,
  turns: SessionTurns,
): void {
  const upstream = connect(upstreamPath);
  const startupLength = firstBytes.readInt32BE(0);
  let startup: Buffer | null = firstBytes.subarray(0, startupLength);
  let fromClient: Buffer = firstBytes.subarray(startupLength);
  let fromServer: Buffer = Buffer.alloc(0);
  let readyAwaited = 0; // ReadyForQuery messages still due (startup, Sync, Query)
  let requestOpen = false; // messages sent since the last Sync or Query
  let status = 0x49; // 'I': idle, outside a transaction

  const turn: Turn = {
    granted() {
      if (startup) {
        upstream.write(startup);
        startup = null;
        readyAwaited++;
      }
      sendWholeMessages();
    },
  };
  const sendWholeMessages = () => {
    for (let length; (length = wholeMessageLength(fromClient));) {
      const type = fromClient[0];
      if (type === 0x53 /* S: Sync */ || type === 0x51 /* Q: Query */) {
        readyAwaited++;
        requestOpen = false;
      } else if (type !== 0x58 /* X: Terminate */) {
        requestOpen = true;
      }
      upstream.write(fromClient.subarray(0, length));
      fromClient = fromClient.subarray(length);
    }
  };
  upstream.on("data", (data: Buffer) => {
    fromServer = fromServer.length ? Buffer.concat([fromServer, data]) : data;
    for (let length; (length = wholeMessageLength(fromServer));) {
      if (fromServer[0] === 0x5a /* Z: ReadyForQuery */) {
        readyAwaited = Math.max(0, readyAwaited - 1); // never below 0, should PGlite send an extra one
        status = fromServer[5]!;
      }
      fromServer = fromServer.subarray(length);
    }
    socket.write(data);
    if (turns.holds(turn) && readyAwaited === 0 && !requestOpen && status === 0x49) {
      turns.release(turn);
      if (wholeMessageLength(fromClient)) turns.request(turn);
    }
  });
  socket.on("data", (data: Buffer) => {
    fromClient = Buffer.concat([fromClient, data]);
    if (turns.holds(turn)) sendWholeMessages();
    else if (wholeMessageLength(fromClient)) turns.request(turn);
  });
  const end = () => {
    turns.release(turn);
    socket.destroy();
    upstream.destroy();
  };
  upstream.on("error", end);
  upstream.on("close", end);
  socket.on("error", end);
  socket.on("close", end);
  turns.request(turn);
}

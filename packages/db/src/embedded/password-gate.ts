import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { relayInTurns, SessionTurns } from "./session-turns.ts";

/** Protocol codes of the messages a client may send before its startup message. */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const PROTOCOL_3 = 196608;
const MAX_STARTUP_BYTES = 10_000;
/** A client that has not logged in by then is dropped. */
const LOGIN_TIMEOUT_MS = 10_000;

export type PasswordGateOptions = {
  host: string;
  port: number;
  password: string;
  /** The Unix socket of the unauthenticated PGlite server behind the gate. */
  upstreamPath: string;
};

/**
 * The Postgres wire protocol's login, in front of PGlite (which accepts anyone): a client must send
 * the password (MD5 challenge: it never crosses the socket in clear) before its connection is
 * handed, startup message first, to the PGlite server on a Unix socket only this user can open.
 * Encryption requests are declined ("N"), as a local server without TLS does.
 */
export async function startPasswordGate(
  options: PasswordGateOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const turns = new SessionTurns();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    guard(socket, options, turns);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}

function guard(socket: Socket, { password, upstreamPath }: PasswordGateOptions, turns: SessionTurns): void {
  let buffered = Buffer.alloc(0);
  let startup: { message: Buffer; user: string } | null = null;
  const salt = randomBytes(4);
  const timer = setTimeout(() => socket.destroy(), LOGIN_TIMEOUT_MS);
  socket.on("error", () => socket.destroy());
  socket.on("close", () => clearTimeout(timer));

  const onData = (data: Buffer) => {
    buffered = Buffer.concat([buffered, data]);
    for (;;) {
      if (!startup) {
        if (buffered.length < 8) return;
        const length = buffered.readInt32BE(0);
        if (length < 8 || length > MAX_STARTUP_BYTES) return void socket.destroy();
        if (buffered.length < length) return;
        const code = buffered.readInt32BE(4);
        const message = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write("N");
          continue;
        }
        if (code !== PROTOCOL_3) return void refuse(socket, "08P01", "unsupported protocol");
        startup = { message, user: startupParameters(message).get("user") ?? "" };
        socket.write(md5Challenge(salt));
        continue;
      }
      if (buffered.length < 5) return;
      const length = buffered.readInt32BE(1);
      if (buffered[0] !== 0x70 /* p */ || length < 5 || length > MAX_STARTUP_BYTES)
        return void refuse(socket, "08P01", "expected a password message");
      if (buffered.length < 1 + length) return;
      const answer = buffered.subarray(5, length); // without the terminating zero
      buffered = buffered.subarray(1 + length);
      if (!isRightAnswer(answer, password, startup.user, salt)) {
        return void refuse(socket, "28P01", `password authentication failed for user "${startup.user}"`);
      }
      socket.off("data", onData);
      clearTimeout(timer);
      return void relayInTurns(socket, upstreamPath, Buffer.concat([startup.message, buffered]), turns);
    }
  };
  socket.on("data", onData);
}

function startupParameters(message: Buffer): Map<string, string> {
  const fields = message.subarray(8).toString("utf8").split("\0");
  const parameters = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length && fields[index]; index += 2) {
    parameters.set(fields[index]!, fields[index + 1]!);
  }
  return parameters;
}

/** AuthenticationMD5Password: 'R', length 12, code 5, the salt. */
function md5Challenge(salt: Buffer): Buffer {
  const message = Buffer.alloc(13);
  message.write("R", 0);
  message.writeInt32BE(12, 1);
  message.writeInt32BE(5, 5);
  salt.copy(message, 9);
  return message;
}

/** The client's answer is "md5" + md5(md5(password + user) + salt), in hex. */
function isRightAnswer(answer: Buffer, password: string, user: string, salt: Buffer): boolean {
  const inner = createHash("md5")
    .update(password + user)
    .digest("hex");
  const expected = Buffer.from(`md5${createHash("md5").update(inner).update(salt).digest("hex")}`);
  return answer.length === expected.length && timingSafeEqual(answer, expected);
}

/** An ErrorResponse (FATAL) and the end of the connection. */
function refuse(socket: Socket, sqlState: string, text: string): void {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlState}\0M${text}\0\0`);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(4 + fields.length, 1);
  socket.end(Buffer.concat([header, fields]));
}

import { connect, type Socket } from "node:net";
import { connect as connectTls, type ConnectionOptions } from "node:tls";

/** One parsed IRC line: IRCv3 tags, source prefix, command and parameters. */
export type IrcLine = {
  raw: string;
  tags: Record<string, string>;
  source: string | undefined;
  command: string;
  params: string[];
};

export type IrcTestClientOptions = {
  host?: string;
  port: number;
  nick: string;
  /** The ident sent in USER. */
  user?: string;
  realname?: string;
  /** Sent as PASS before NICK/USER. */
  pass?: string;
  /** Sent as WEBIRC before NICK/USER. */
  webirc?: { password: string; gateway?: string; hostname: string; ip: string };
  /** Raw lines sent right after USER, in the same write (e.g. a NICK change during registration). */
  afterUser?: string[];
  /** Requested with CAP REQ; registration waits for CAP END. */
  caps?: string[];
  /** How long registration may take (InspIRCd registers on its 1 s tick). */
  timeoutMs?: number;
  /** Connect with TLS, with these options (e.g. the server's certificate as `ca`). */
  tls?: ConnectionOptions;
};

/** Registration ended with an ERROR line or a closed connection instead of 001. */
export class IrcRegistrationError extends Error {
  constructor(
    message: string,
    readonly lines: IrcLine[],
  ) {
    super(message);
    this.name = "IrcRegistrationError";
  }
}

type Waiter = { from: number; predicate: (line: IrcLine) => boolean; resolve: (line: IrcLine) => void };

/**
 * A raw-socket IRC client for tests against a real server: registers, answers PING, records every
 * line, and waits for lines matching a predicate.
 */
export class IrcTestClient {
  readonly lines: IrcLine[] = [];
  nick: string;
  /** Resolves when the connection closes, with the ERROR text if the server sent one. */
  readonly closed: Promise<string | undefined>;
  private buffer = "";
  private errorText: string | undefined;
  private waiters = new Set<Waiter>();

  private constructor(
    private readonly socket: Socket,
    nick: string,
  ) {
    this.nick = nick;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.onData(chunk));
    this.closed = new Promise((resolve) => socket.once("close", () => resolve(this.errorText)));
    socket.on("error", () => {});
  }

  /** Connects and registers; rejects with IrcRegistrationError (message = the server's ERROR text) if the server refuses. */
  static async connect(options: IrcTestClientOptions): Promise<IrcTestClient> {
    const client = await IrcTestClient.open(options);
    await client.registered(options.timeoutMs);
    return client;
  }

  /**
   * Connects and sends the registration lines without waiting for the outcome. With `holdCap`,
   * "CAP LS 302" goes first and no CAP END follows, so registration stays open after NICK and USER.
   */
  static async open(options: IrcTestClientOptions & { holdCap?: boolean }): Promise<IrcTestClient> {
    const address = { host: options.host ?? "127.0.0.1", port: options.port };
    const socket = options.tls ? connectTls({ ...address, ...options.tls }) : connect(address);
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? "secureConnect" : "connect", resolve);
      socket.once("error", reject);
    });
    const client = new IrcTestClient(socket, options.nick);
    const registration: string[] = [];
    if (options.holdCap) registration.push("CAP LS 302");
    if (options.caps?.length) registration.push(`CAP REQ :${options.caps.join(" ")}`);
    if (options.webirc) {
      const { password, gateway = "relaycast", hostname, ip } = options.webirc;
      registration.push(`WEBIRC ${password} ${gateway} ${hostname} ${ip}`);
    }
    if (options.pass !== undefined) registration.push(`PASS ${options.pass}`);
    registration.push(
      `NICK ${options.nick}`,
      `USER ${options.user ?? "test"} 0 * :${options.realname ?? "test client"}`,
    );
    registration.push(...(options.afterUser ?? []));
    if (options.caps?.length && !options.holdCap) registration.push("CAP END");
    client.sendRaw(registration);
    return client;
  }

  /** Waits for 001; rejects with IrcRegistrationError if the server closes the connection first. */
  async registered(timeoutMs = 10_000): Promise<void> {
    const outcome = await Promise.race([
      this.waitFor((line) => line.command === "001", { timeoutMs }).then(() => "registered" as const),
      this.closed.then((error) => ({ error })),
    ]);
    if (outcome !== "registered") {
      throw new IrcRegistrationError(outcome.error ?? "the server closed the connection", this.lines);
    }
  }

  /** Index of the next line to arrive: pass as `from` to wait only for later lines. */
  mark(): number {
    return this.lines.length;
  }

  send(line: string): void {
    this.sendRaw([line]);
  }

  /** The first line (from index `from`, default 0) matching the predicate, waiting up to `timeoutMs`. */
  waitFor(
    predicate: (line: IrcLine) => boolean,
    { from = 0, timeoutMs = 5_000 }: { from?: number; timeoutMs?: number } = {},
  ): Promise<IrcLine> {
    const seen = this.lines.slice(from).find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        from,
        predicate,
        resolve: (line) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const recent = this.lines.slice(-15).map((line) => line.raw);
        reject(
          new Error(
            `${this.nick}: no matching IRC line within ${timeoutMs} ms. Last lines:\n${recent.join("\n")}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Waits for a numeric reply or command, e.g. waitForCommand("404"). */
  waitForCommand(command: string, options?: { from?: number; timeoutMs?: number }): Promise<IrcLine> {
    return this.waitFor((line) => line.command === command, options);
  }

  /** Sends QUIT and waits for the connection to close. */
  async close(): Promise<void> {
    if (!this.socket.destroyed && this.socket.writable) this.send("QUIT :bye");
    const timer = setTimeout(() => this.socket.destroy(), 1_000);
    this.socket.end();
    await this.closed;
    clearTimeout(timer);
  }

  private sendRaw(lines: string[]): void {
    if (this.socket.destroyed) return;
    this.socket.write(lines.map((line) => `${line}\r\n`).join(""));
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf("\n")) !== -1) {
      const raw = this.buffer.slice(0, newline).replace(/\r$/, "");
      this.buffer = this.buffer.slice(newline + 1);
      if (!raw) continue;
      const line = parseIrcLine(raw);
      if (line.command === "PING") this.send(`PONG :${line.params[0] ?? ""}`);
      if (line.command === "ERROR") this.errorText = line.params[0];
      if (line.command === "001") this.nick = line.params[0] ?? this.nick;
      if (line.command === "NICK" && line.source?.split("!")[0] === this.nick)
        this.nick = line.params[0] ?? this.nick;
      this.lines.push(line);
      const index = this.lines.length - 1;
      for (const waiter of [...this.waiters]) {
        if (index >= waiter.from && waiter.predicate(line)) waiter.resolve(line);
      }
    }
  }
}

/** Parses one IRC line (without CRLF), unescaping IRCv3 tag values. */
export function parseIrcLine(raw: string): IrcLine {
  let rest = raw;
  const tags: Record<string, string> = {};
  if (rest.startsWith("@")) {
    const end = rest.indexOf(" ");
    for (const tag of rest.slice(1, end).split(";")) {
      const equals = tag.indexOf("=");
      const key = equals === -1 ? tag : tag.slice(0, equals);
      tags[key] = equals === -1 ? "" : unescapeTagValue(tag.slice(equals + 1));
    }
    rest = rest.slice(end + 1).trimStart();
  }
  let source: string | undefined;
  if (rest.startsWith(":")) {
    const end = rest.indexOf(" ");
    source = rest.slice(1, end);
    rest = rest.slice(end + 1).trimStart();
  }
  const params: string[] = [];
  while (rest.length > 0) {
    if (rest.startsWith(":")) {
      params.push(rest.slice(1));
      break;
    }
    const end = rest.indexOf(" ");
    if (end === -1) {
      params.push(rest);
      break;
    }
    params.push(rest.slice(0, end));
    rest = rest.slice(end + 1).trimStart();
  }
  const command = (params.shift() ?? "").toUpperCase();
  return { raw, tags, source, command, params };
}

function unescapeTagValue(value: string): string {
  return value.replace(
    /\\(.?)/g,
    (_match, char: string) => ({ ":": ";", s: " ", r: "\r", n: "\n" })[char] ?? char,
  );
}

import { io, type Socket } from "socket.io-client";
import type { IChatClientToServer, IChatServerToClient, TChatSendResult } from "@relaycast/chat/protocol";

type TChatSocket = Socket<IChatServerToClient, IChatClientToServer>;

const ACK_TIMEOUT_MS = 20_000;

export type WebChatterOptions = {
  url: string;
  channel: string;
  token: string;
  /**
   * Sent as X-Forwarded-For, which the gateway trusts from loopback (as from the web server's
   * proxy): each chatter is its own viewer IP, for the gateway's per-IP limits and IRC's WEBIRC.
   */
  ip: string;
  /** Every chat:message text, with performance.now() taken first thing on arrival. */
  onMessage: (text: string, arrivedAt: number) => void;
  /** The socket closed after it had been open. */
  onDisconnect: (reason: string) => void;
};

/** One signed-in web viewer: a socket.io client like the chat panel's, without reconnection. */
export class WebChatter {
  readonly #socket: TChatSocket;
  #isClosing = false;

  constructor(private readonly options: WebChatterOptions) {
    this.#socket = io(options.url, {
      path: "/socket.io",
      transports: ["websocket"],
      auth: { channel: options.channel, token: options.token },
      extraHeaders: { "x-forwarded-for": options.ip },
      forceNew: true,
      reconnection: false,
      autoConnect: false,
    });
    this.#socket.on("chat:message", (message) => options.onMessage(message.text, performance.now()));
  }

  get isConnected(): boolean {
    return this.#socket.connected;
  }

  /** Connects and resolves once the gateway says this viewer's IRC connection is registered. */
  open(timeoutMs: number): Promise<void> {
    const socket = this.#socket;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`not connected to IRC within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onStatus = ({ irc }: { irc: string }) => {
        if (irc === "connected") finish();
      };
      const onError = (error: Error) => finish(new Error(`connect_error: ${error.message}`));
      const onDisconnect = (reason: string) => finish(new Error(`disconnected: ${reason}`));
      const finish = (error?: Error) => {
        clearTimeout(timer);
        socket.off("chat:status", onStatus);
        socket.off("connect_error", onError);
        socket.off("disconnect", onDisconnect);
        if (error) return reject(error);
        socket.on("disconnect", (reason) => {
          if (!this.#isClosing) this.options.onDisconnect(reason);
        });
        resolve();
      };
      socket.on("chat:status", onStatus);
      socket.once("connect_error", onError);
      socket.once("disconnect", onDisconnect);
      socket.connect();
    });
  }

  /** Sends a line; `onAck` gets the gateway's answer, or a refusal naming the timeout. */
  send(text: string, onAck: (result: TChatSendResult) => void): void {
    this.#socket.timeout(ACK_TIMEOUT_MS).emit("chat:send", { text }, (error, result) => {
      onAck(error ? { ok: false, error: `no ack within ${ACK_TIMEOUT_MS} ms` } : result);
    });
  }

  close(): void {
    this.#isClosing = true;
    this.#socket.close();
  }
}

import { io, type Socket } from "socket.io-client";
import type {
  IChatClientToServer,
  IChatServerToClient,
  TChatMessage,
  TChatNotice,
  TChatSendResult,
  TChatStatus,
  TChatViewer,
  TModerationCommandInput,
  TModerationResult,
} from "../protocol.ts";

type TChatSocket = Socket<IChatServerToClient, IChatClientToServer>;

/**
 * A socket.io chat client as the browser's chat panel uses it, recording what it receives, for
 * tests and the benchmark.
 */
export class ChatTestClient {
  readonly messages: TChatMessage[] = [];
  readonly notices: TChatNotice[] = [];
  history: TChatMessage[] | null = null;
  status: TChatStatus["irc"] | null = null;
  viewer: TChatViewer | null = null;
  /** Ids of the lines moderators deleted. */
  readonly deleted = new Set<string>();
  /** How many times a moderator cleared the chat. */
  clears = 0;
  readonly #waiters = new Set<() => void>();

  private constructor(readonly socket: TChatSocket) {
    socket.on("chat:history", ({ messages }) => {
      this.history = messages;
      this.#wake();
    });
    socket.on("chat:message", (message) => {
      this.messages.push(message);
      this.#wake();
    });
    socket.on("chat:ready", (viewer) => {
      this.viewer = viewer;
      this.#wake();
    });
    socket.on("chat:delete", ({ id }) => {
      this.deleted.add(id);
      this.#wake();
    });
    socket.on("chat:clear", () => {
      this.clears += 1;
      this.#wake();
    });
    socket.on("chat:notice", (notice) => {
      this.notices.push(notice);
      this.#wake();
    });
    socket.on("disconnect", () => {
      this.status = null;
      this.#wake();
    });
    socket.on("chat:status", ({ irc }) => {
      this.status = irc;
      this.#wake();
    });
  }

  /** Connects for one channel and resolves once its history has arrived. */
  static async connect({ url, channel, token }: { url: string; channel: string; token?: string }) {
    const socket: TChatSocket = io(url, {
      path: "/socket.io",
      transports: ["websocket"],
      auth: token ? { channel, token } : { channel },
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
    });
    const client = new ChatTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect_error", reject);
      socket.once("chat:history", () => resolve());
    });
    return client;
  }

  send(text: string, replyTo?: string): Promise<TChatSendResult> {
    return this.socket.timeout(20_000).emitWithAck("chat:send", replyTo ? { text, replyTo } : { text });
  }

  moderate(command: TModerationCommandInput): Promise<TModerationResult> {
    return this.socket.timeout(20_000).emitWithAck("chat:moderate", command);
  }

  report(messageId: string, reason: "spam" | "harassment" | "hate" | "other"): Promise<TModerationResult> {
    return this.socket.timeout(20_000).emitWithAck("chat:report", { messageId, reason });
  }

  noticeWith(pattern: RegExp): TChatNotice | undefined {
    return this.notices.find((notice) => pattern.test(notice.text));
  }

  /** Waits until `condition` holds over what was received. */
  until(condition: (client: this) => boolean, timeoutMs = 10_000, what = "chat condition"): Promise<void> {
    if (condition(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition(this)) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  messageWith(text: string): TChatMessage | undefined {
    return this.messages.find((message) => message.text === text);
  }

  close() {
    this.socket.close();
  }

  #wake() {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

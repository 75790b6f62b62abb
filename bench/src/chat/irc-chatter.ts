import { IrcTestClient } from "@relaycast/chat/testing";

/** One IRC user (irssi, WeeChat…) on the public port, logged in with an IRC token, in one channel. */
export class IrcChatter {
  #isConnected = true;

  private constructor(
    private readonly client: IrcTestClient,
    readonly channel: string,
  ) {
    void client.closed.then(() => {
      this.#isConnected = false;
    });
  }

  /** Registers (PASS token, NICK username) and joins the channel (waits for the end of NAMES). */
  static async connect({
    port,
    username,
    token,
    channel,
    timeoutMs,
  }: {
    port: number;
    username: string;
    token: string;
    channel: string;
    timeoutMs: number;
  }): Promise<IrcChatter> {
    const client = await IrcTestClient.connect({
      port,
      nick: username,
      pass: token,
      caps: ["message-tags", "server-time"],
      timeoutMs,
    });
    try {
      const mark = client.mark();
      client.send(`JOIN #${channel}`);
      await client.waitFor(
        (line) => line.command === "366" || line.command === "403" || line.command === "474",
        {
          from: mark,
          timeoutMs,
        },
      );
      if (!client.lines.slice(mark).some((line) => line.command === "366")) {
        throw new Error(`${username} could not join #${channel}`);
      }
    } catch (error) {
      await client.close();
      throw error;
    }
    return new IrcChatter(client, channel);
  }

  get isConnected(): boolean {
    return this.#isConnected;
  }

  say(text: string): void {
    this.client.send(`PRIVMSG #${this.channel} :${text}`);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";

/**
 * A minimal SMTP server on loopback for the e2e run: it takes every mail the web app sends (no
 * STARTTLS, no auth) and writes each to `<dir>/<n>.eml`, where the specs read them.
 */
export async function startMailSink(dir: string, port: number): Promise<{ close(): Promise<void> }> {
  await mkdir(dir, { recursive: true });
  let received = 0;
  const server: Server = createServer((socket) => {
    let buffer = "";
    let data: string | null = null;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 mail-sink ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          void writeFile(join(dir, `${++received}.eml`), data.replace(/^\.\./gm, "."));
          data = null;
          reply("250 queued");
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline < 0) return;
        const command = buffer.slice(0, newline).toUpperCase();
        buffer = buffer.slice(newline + 2);
        if (command.startsWith("EHLO")) reply("250 mail-sink");
        else if (command.startsWith("DATA")) {
          data = "";
          reply("354 go on");
        } else if (command.startsWith("QUIT")) {
          reply("221 bye");
          socket.end();
        } else reply("250 ok");
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

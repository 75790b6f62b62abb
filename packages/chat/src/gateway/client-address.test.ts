import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { trustedProxySet } from "@relaycast/config";
import { Server } from "socket.io";
import { io as connectClient } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddress } from "./client-address.ts";

const servers: HttpServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A socket.io server that tells each client the address the gateway would take it for. */
async function startEcho(trusted: string[]): Promise<string> {
  const httpServer = createServer();
  servers.push(httpServer);
  const io = new Server(httpServer, { path: "/socket.io", serveClient: false });
  io.on("connection", (socket) =>
    socket.emit("address", clientAddress(socket.handshake, trustedProxySet(trusted))),
  );
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

async function addressSeenBy(url: string, forwardedFor: string): Promise<string> {
  const socket = connectClient(url, {
    transports: ["polling"],
    extraHeaders: { "x-forwarded-for": forwardedFor },
    reconnection: false,
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      socket.once("address", resolve);
      socket.once("connect_error", reject);
    });
  } finally {
    socket.disconnect();
  }
}

describe("clientAddress over a real socket.io handshake", () => {
  it("ignores a forged X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    const url = await startEcho(["10.0.0.0/8"]);
    expect(await addressSeenBy(url, "203.0.113.9")).toBe("127.0.0.1");
  });

  it("behind a trusted proxy, takes the hop the proxy appended, not what the client wrote before it", async () => {
    const url = await startEcho(["127.0.0.0/8"]);
    expect(await addressSeenBy(url, "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    expect(await addressSeenBy(url, "6.6.6.6, not-an-ip")).toBe("127.0.0.1");
  });
});

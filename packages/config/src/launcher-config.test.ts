import { describe, expect, it } from "vitest";
import { ConfigError } from "./parse-env.ts";
import { loadLauncherConfig } from "./launcher-config.ts";

describe("loadLauncherConfig", () => {
  it("fills the one-machine defaults, chat and IRC included", () => {
    const config = loadLauncherConfig({});
    expect(config.webPort).toBe(3000);
    expect(config.chat).toEqual({ host: "127.0.0.1", port: 3001 });
    expect(config.irc).toEqual({
      secret: undefined,
      publicPort: 6667,
      tlsPort: 6697,
      tls: undefined,
      gatewayPort: 6670,
      serverPort: 7000,
      bindHost: "127.0.0.1",
      gatewayBindHost: "127.0.0.1",
      gatewayHosts: ["127.0.0.1"],
      binaryPath: "/usr/sbin/inspircd",
      serverName: "irc.relaycast.local",
      serverId: "0AA",
      linkSecret: undefined,
      peers: [],
    });
  });

  it("takes the IRC settings from the environment", () => {
    const config = loadLauncherConfig({
      IRC_SECRET: "i".repeat(32),
      IRC_PORT: "16667",
      IRC_TLS_PORT: "16697",
      IRC_TLS_CERT_FILE: "/etc/relaycast/irc.crt",
      IRC_TLS_KEY_FILE: "/etc/relaycast/irc.key",
      IRC_GATEWAY_PORT: "16670",
      IRC_SERVER_PORT: "17000",
      IRC_BIND_HOST: "*",
      IRC_GATEWAY_BIND_HOST: "*",
      IRC_GATEWAY_HOSTS: "10.0.0.0/8, 172.16.0.0/12",
      INSPIRCD_PATH: "/opt/inspircd/bin/inspircd",
      IRC_SERVER_NAME: "irc2.relaycast.local",
      IRC_SERVER_ID: "1AA",
      IRC_LINK_PEERS: "irc1.relaycast.local@ircd-1:7000,irc3.relaycast.local@10.0.0.3:7001",
      IRC_LINK_SECRET: "l".repeat(32),
    });
    expect(config.irc).toEqual({
      secret: "i".repeat(32),
      publicPort: 16667,
      tlsPort: 16697,
      tls: { certFile: "/etc/relaycast/irc.crt", keyFile: "/etc/relaycast/irc.key" },
      gatewayPort: 16670,
      serverPort: 17000,
      bindHost: "*",
      gatewayBindHost: "*",
      gatewayHosts: ["10.0.0.0/8", "172.16.0.0/12"],
      binaryPath: "/opt/inspircd/bin/inspircd",
      serverName: "irc2.relaycast.local",
      serverId: "1AA",
      linkSecret: "l".repeat(32),
      // A peer named by host may connect from anywhere (with the link password); the server whose
      // name sorts first connects out.
      peers: [
        { name: "irc1.relaycast.local", host: "ircd-1", port: 7000, allowMask: "*", autoconnect: false },
        {
          name: "irc3.relaycast.local",
          host: "10.0.0.3",
          port: 7001,
          allowMask: "10.0.0.3",
          autoconnect: true,
        },
      ],
    });
  });

  it("refuses a short IRC secret, a bad bind address and a port given twice", () => {
    const load = () =>
      loadLauncherConfig({ IRC_SECRET: "short", IRC_BIND_HOST: "0.0.0.0 evil", IRC_PORT: "3001" });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/IRC_SECRET: must be at least 32 characters/);
    expect(load).toThrow(/IRC_BIND_HOST: must be an IP address/);
    expect(load).toThrow(/IRC_PORT: must differ from CHAT_PORT/);
    expect(() => loadLauncherConfig({ IRC_TLS_CERT_FILE: "/etc/relaycast/irc.crt" })).toThrow(
      /IRC_TLS_CERT_FILE and IRC_TLS_KEY_FILE go together/,
    );
    expect(() => loadLauncherConfig({ IRC_LINK_PEERS: "ircd-2:7000" })).toThrow(
      /IRC_LINK_PEERS.*must be name@host:port/,
    );
    expect(() => loadLauncherConfig({ IRC_LINK_PEERS: "irc.relaycast.local@ircd-2:7000" })).toThrow(
      /IRC_LINK_PEERS: peer names must be unique and differ from IRC_SERVER_NAME/,
    );
  });

  it("takes a variable set to nothing as unset", () => {
    const config = loadLauncherConfig({ WEB_PORT: "", IRC_LINK_PEERS: "", DATABASE_URL: "" });
    expect(config.webPort).toBe(3000);
    expect(config.irc.peers).toEqual([]);
    expect(config.databaseUrl).toBeUndefined();
  });

  it("lets the embedded database port overlap only when DATABASE_URL replaces it", () => {
    expect(() => loadLauncherConfig({ EMBEDDED_DB_PORT: "6667" })).toThrow(
      /EMBEDDED_DB_PORT: must differ from IRC_PORT/,
    );
    const config = loadLauncherConfig({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x",
      EMBEDDED_DB_PORT: "6667",
    });
    expect(config.irc.publicPort).toBe(6667);
  });
  it("passes each service its own settings only, and every service the process basics", () => {
    const config = loadLauncherConfig({
      PATH: "/usr/bin",
      HOME: "/home/relaycast",
      MEDIA_HLS_SEGMENT_SECONDS: "2",
      FFMPEG_PATH: "/opt/ffmpeg",
      CHAT_RATE_LIMIT_MESSAGES: "5",
      REDIS_URL: "redis://127.0.0.1:6379",
      WEB_PUBLIC_URL: "https://tv.example",
      SMTP_URL: "smtp://mailer:secret@mail.example:587",
      AWS_SECRET_ACCESS_KEY: "not for any service",
      IRC_SECRET: "i".repeat(32),
      TRUSTED_PROXIES: "10.0.0.0/8",
    });
    const proxies = { TRUSTED_PROXIES: "10.0.0.0/8" };
    // Redis is shared: chat's adapter, and the media cluster's registry that the web's director reads.
    const redis = { REDIS_URL: "redis://127.0.0.1:6379" };
    expect(config.passThrough).toEqual({
      process: { PATH: "/usr/bin", HOME: "/home/relaycast" },
      media: { MEDIA_HLS_SEGMENT_SECONDS: "2", FFMPEG_PATH: "/opt/ffmpeg", ...redis, ...proxies },
      chat: { CHAT_RATE_LIMIT_MESSAGES: "5", ...redis, ...proxies },
      // Password-reset mail is sent by the web app only.
      web: {
        WEB_PUBLIC_URL: "https://tv.example",
        SMTP_URL: "smtp://mailer:secret@mail.example:587",
        ...redis,
        ...proxies,
      },
    });
  });

  it("refuses a media port that another service uses", () => {
    expect(() => loadLauncherConfig({ MEDIA_HTTP_PORT: "3000" })).toThrow(
      /MEDIA_HTTP_PORT: must differ from WEB_PORT/,
    );
  });
});

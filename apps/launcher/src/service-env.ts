import type { TLauncherConfig, TService } from "@relaycast/config";

export type ServiceEnvOptions = {
  config: TLauncherConfig;
  databaseUrl: string;
  dataDir: string;
  authSecret: string;
  ircSecret: string;
  /** Authenticates the relay between media nodes; given to the media node when it joins a cluster. */
  clusterSecret: string;
  /** The chat gateways' ports (on CHAT_HOST), which the web spreads socket.io clients over. */
  chatGatewayPorts: number[];
  isDev: boolean;
};

/**
 * The whole environment of each service the launcher runs: the process basics, the service's own
 * settings from the launcher's environment, and what the launcher gives it. Nothing else: the media
 * node (which parses publishers' video) never sees the session or IRC secret, the web never sees the
 * IRC secret, and no service sees the operator's unrelated variables.
 */
export function serviceEnvs(options: ServiceEnvOptions): Record<TService, Record<string, string>> {
  const { config, databaseUrl, dataDir, authSecret, ircSecret, clusterSecret, chatGatewayPorts, isDev } =
    options;
  const common = {
    ...config.passThrough.process,
    NODE_ENV: isDev ? "development" : "production",
    LOG_LEVEL: config.logLevel,
    DATABASE_URL: databaseUrl,
  };
  return {
    media: {
      ...common,
      ...config.passThrough.media,
      // With REDIS_URL, the node registers in the cluster's registry, which needs the relay's secret.
      ...(config.passThrough.media.REDIS_URL && { CLUSTER_SECRET: clusterSecret }),
      DATA_DIR: dataDir,
      MEDIA_RTMP_PORT: String(config.media.rtmpPort),
      MEDIA_HTTP_PORT: String(config.media.httpPort),
    },
    chat: {
      ...common,
      ...config.passThrough.chat,
      CHAT_HOST: config.chat.host,
      CHAT_PORT: String(config.chat.port),
      // It checks the web's session cookies.
      WEB_AUTH_SECRET: authSecret,
      // The gateway port of the launcher's InspIRCd, which binds it and accepts WEBIRC on loopback only.
      IRC_HOST: "127.0.0.1",
      IRC_GATEWAY_PORT: String(config.irc.gatewayPort),
      IRC_SECRET: ircSecret,
    },
    web: {
      ...common,
      ...config.passThrough.web,
      WEB_PORT: String(config.webPort),
      WEB_AUTH_SECRET: authSecret,
      WEB_CHAT_GATEWAY_URL: chatGatewayPorts
        .map((port) => `http://${connectHost(config.chat.host)}:${port}`)
        .join(","),
      WEB_IRC_PORT: String(config.irc.publicPort),
      WEB_IRC_TLS_PORT: String(config.irc.tlsPort),
    },
  };
}

/** An address to reach a listener on: a wildcard bind is reached on loopback. */
function connectHost(host: string): string {
  if (host === "0.0.0.0" || host === "*") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

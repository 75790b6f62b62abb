import { isAbsolute, resolve } from "node:path";
import type { TIrcServerConfig } from "@relaycast/config";
import type { Logger } from "@relaycast/logger";
import type { IrcCredentials } from "./irc-credentials.ts";
import type { IrcdProcessOptions } from "./ircd-process.ts";

/**
 * One IRC server of the network, from its settings (IRC_* variables): what `npm start` and the
 * `ircd` app of a cluster both run. Relative certificate paths are taken from `baseDir`.
 */
export function ircdProcessOptions(
  config: TIrcServerConfig,
  {
    dir,
    baseDir,
    credentials,
    databaseUrl,
    log,
    launchPrefix,
  }: {
    dir: string;
    baseDir: string;
    credentials: IrcCredentials;
    databaseUrl: string;
    log: Logger;
    launchPrefix?: string[] | null;
  },
): IrcdProcessOptions {
  const path = (file: string) => (isAbsolute(file) ? file : resolve(baseDir, file));
  return {
    dir,
    tls: config.tls && { certFile: path(config.tls.certFile), keyFile: path(config.tls.keyFile) },
    config: {
      serverName: config.serverName,
      serverId: config.serverId,
      credentials: config.linkSecret ? { ...credentials, linkPassword: config.linkSecret } : credentials,
      databaseUrl,
      publicPort: config.publicPort,
      tlsPort: config.tlsPort,
      gatewayPort: config.gatewayPort,
      serverPort: config.serverPort,
      bindHost: config.bindHost,
      gatewayBindHost: config.gatewayBindHost,
      gatewayHosts: config.gatewayHosts,
      peers: config.peers,
    },
    binaryPath: config.binaryPath,
    ...(launchPrefix && { launchPrefix }),
    log,
  };
}

import type { Logger } from "@relaycast/logger";
import { createStreamRegistry } from "@relaycast/media/cluster";

const REFRESH_MS = 2_000;

/**
 * The HTTP origins of the cluster's media nodes, kept fresh from the registry for the site's
 * Content-Security-Policy: a player may be sent to any edge, and thumbnails come from origins.
 */
export function clusterMediaOrigins({
  redisUrl,
  registryPrefix,
  log,
}: {
  redisUrl: string;
  registryPrefix: string;
  log: Logger;
}): { current(): string[]; close(): Promise<void> } {
  const registry = createStreamRegistry({ redisUrl, prefix: registryPrefix });
  let origins: string[] = [];
  const refresh = () =>
    registry
      .nodes()
      .then((nodes) => (origins = [...new Set(nodes.map((node) => new URL(node.httpUrl).origin))].sort()))
      .catch((error: unknown) => log.warn({ err: error }, "could not read the media nodes for the CSP"));
  void refresh();
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  timer.unref();
  return {
    current: () => origins,
    close: async () => {
      clearInterval(timer);
      await registry.close();
    },
  };
}

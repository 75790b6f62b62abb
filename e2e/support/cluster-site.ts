import type { ChildProcess } from "node:child_process";
import { startTestCluster, type ClusterNode, type TestCluster } from "@relaycast/media-node/testing";
import { startApp, waitForHttp } from "./app-process.ts";
import { E2E_CLUSTER_WEB_PORT } from "./platform-env.ts";

export type ClusterSite = {
  /** The web app whose director spreads viewers and broadcasters over the cluster. */
  webUrl: string;
  origin: ClusterNode;
  edges: ClusterNode[];
  cluster: TestCluster;
  close(): Promise<void>;
};

/**
 * A second site on the e2e platform's database and chat, in front of a media cluster: one origin
 * and two edges (apps/media processes, each on a host of its own where the machine allows, see
 * `startTestCluster`) and a web app started as the platform's, whose director reads their registry.
 */
export async function startClusterSite(): Promise<ClusterSite> {
  const databaseUrl = process.env.E2E_DATABASE_URL;
  const webEnv = process.env.E2E_WEB_ENV;
  if (!databaseUrl || !webEnv)
    throw new Error("E2E_DATABASE_URL and E2E_WEB_ENV are set by the global setup");
  const cluster = await startTestCluster({ hosts: 3, databaseUrl });
  const teardown: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const step of teardown.reverse()) await step();
    await cluster.close();
  };
  try {
    const [origin, ...edges] = await Promise.all([
      cluster.start({ id: "e2e-origin", role: "origin" }),
      cluster.start({ id: "e2e-edge-a", role: "edge" }),
      cluster.start({ id: "e2e-edge-b", role: "edge" }),
    ]);
    const webUrl = `http://127.0.0.1:${E2E_CLUSTER_WEB_PORT}`;
    // The one-machine site's media settings name its media node; this site's director finds the
    // cluster's nodes (and the origin for broadcasters) in the registry instead.
    const {
      WEB_RTMP_INGEST_URL: _ingest,
      WEB_MEDIA_API_URL: _api,
      WEB_MEDIA_PUBLIC_URL: _public,
      ...platformWebEnv
    } = JSON.parse(webEnv) as NodeJS.ProcessEnv;
    const web: ChildProcess = startApp(teardown, "apps/web", "src/server.ts", {
      ...platformWebEnv,
      ...cluster.registryEnv,
      WEB_PORT: String(E2E_CLUSTER_WEB_PORT),
      WEB_PUBLIC_URL: webUrl,
    });
    await waitForHttp(web, `${webUrl}/login`, 60_000);
    return { webUrl, origin: origin!, edges, cluster, close };
  } catch (error) {
    await close();
    throw error;
  }
}

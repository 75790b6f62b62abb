import "server-only";
import { browsedHostname } from "@/lib/browsed-host.ts";
import { getConfig } from "@/lib/config.ts";

/** The RTMP ingest broadcasters paste into OBS: configured, or the host they browse on port 1935. */
export function ingestUrlFor(hostHeader: string | null): string {
  return getConfig().rtmpIngestUrl ?? `rtmp://${browsedHostname(hostHeader)}:1935/live`;
}

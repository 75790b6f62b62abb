import "server-only";
import { browsedHostname } from "@/lib/browsed-host.ts";
import { getConfig } from "@/lib/config.ts";

/** Where browsers reach the media node: configured, or the host they browse on port 8000. */
export function mediaPublicUrlFor(hostHeader: string | null): string {
  return getConfig().mediaPublicUrl ?? `http://${browsedHostname(hostHeader)}:8000`;
}

import "server-only";
import { mediaPublicUrlOf } from "@/lib/browsed-host.ts";
import { getConfig } from "@/lib/config.ts";

/** Where browsers reach the media node: configured, or the host they browse on port 8000. */
export function mediaPublicUrlFor(hostHeader: string | null): string {
  return mediaPublicUrlOf(getConfig().mediaPublicUrl, hostHeader);
}

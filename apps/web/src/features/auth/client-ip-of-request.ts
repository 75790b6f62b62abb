import "server-only";
import { headers } from "next/headers";
import { CLIENT_IP_HEADER } from "@/lib/client-ip.ts";

/** The client IP that the HTTP server (lib/web-server.ts) stamped on this request. */
export async function clientIpOfRequest(): Promise<string> {
  return (await headers()).get(CLIENT_IP_HEADER) ?? "unknown";
}

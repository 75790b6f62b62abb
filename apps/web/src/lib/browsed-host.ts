/** The host name the visitor reached the site at (from the Host header), for default service URLs. */
export function browsedHostname(hostHeader: string | null | undefined): string {
  return hostHeader ? new URL(`http://${hostHeader}`).hostname : "localhost";
}

/** Where browsers reach the media node: configured, or the host they browse on port 8000. */
export function mediaPublicUrlOf(configured: string | undefined, hostHeader: string | null | undefined) {
  return configured ?? `http://${browsedHostname(hostHeader)}:8000`;
}

/** The host name the visitor reached the site at (from the Host header), for default service URLs. */
export function browsedHostname(hostHeader: string | null): string {
  return hostHeader ? new URL(`http://${hostHeader}`).hostname : "localhost";
}

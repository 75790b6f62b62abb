/**
 * The header our HTTP server (lib/web-server.ts) sets on every request to the client's address,
 * after removing any copy the client sent. Route code reads the client IP from it and from nothing else.
 */
export const CLIENT_IP_HEADER = "x-relaycast-client-ip";

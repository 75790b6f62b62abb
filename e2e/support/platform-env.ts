/** Where the platform under test listens, and its login limits (low enough to test). */
export const E2E_WEB_PORT = 3199;
export const E2E_RTMP_PORT = 19351;
export const E2E_MEDIA_HTTP_PORT = 18001;
export const E2E_MEDIA_PUBLIC_URL = `http://127.0.0.1:${E2E_MEDIA_HTTP_PORT}`;
export const E2E_WEB_URL = `http://127.0.0.1:${E2E_WEB_PORT}`;
export const E2E_RTMP_INGEST_URL = `rtmp://127.0.0.1:${E2E_RTMP_PORT}/live`;
export const E2E_LOGIN_FAILURES_BEFORE_BACKOFF = 5;
/**
 * The web server believes X-Forwarded-For only from this address: a test's own reverse proxy
 * (support/forwarding-proxy.ts) connects from it, everything else is a direct client.
 */
export const E2E_TRUSTED_PROXY = "127.0.0.2";

/** InspIRCd: IRC clients connect to the public port, the chat gateway to the gateway port. */
export const E2E_IRC_PUBLIC_PORT = 16667;
export const E2E_IRC_TLS_PORT = 16697;
export const E2E_IRC_GATEWAY_PORT = 16670;
export const E2E_IRC_SERVER_PORT = 17000;
/** The chat gateway (socket.io), which the web app proxies under /socket.io. */
export const E2E_CHAT_PORT = 13001;
/**
 * Chat lines one user may send per window (30 s). Below the default 20: a flood past the default
 * would trip the per-connection event limit (10 per 5 s) first, or take a paced 10 s to send.
 */
export const E2E_CHAT_RATE_LIMIT_MESSAGES = 5;

/** The web app of the cluster spec's site (tests/cluster.spec.ts), in front of its media cluster. */
export const E2E_CLUSTER_WEB_PORT = 3198;

/** The e2e run's mail sink (support/mail-sink.ts): the web app's SMTP server. */
export const E2E_SMTP_PORT = 12525;

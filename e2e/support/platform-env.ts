/** Where the platform under test listens, and its login limits (low enough to test). */
export const E2E_WEB_PORT = 3199;
export const E2E_RTMP_PORT = 19351;
export const E2E_MEDIA_HTTP_PORT = 18001;
export const E2E_MEDIA_PUBLIC_URL = `http://127.0.0.1:${E2E_MEDIA_HTTP_PORT}`;
export const E2E_WEB_URL = `http://127.0.0.1:${E2E_WEB_PORT}`;
export const E2E_RTMP_INGEST_URL = `rtmp://127.0.0.1:${E2E_RTMP_PORT}/live`;
export const E2E_LOGIN_LIMIT_PER_ACCOUNT = 5;

export { ConfigError, parseEnv } from "./parse-env.ts";
export { loadWebConfig, type TWebConfig } from "./web-config.ts";
export { loadLauncherConfig, type TLauncherConfig, type TService } from "./launcher-config.ts";
export { loadDatabaseConfig } from "./database-config.ts";
export { loadMediaConfig, type TMediaConfig } from "./media-config.ts";
export { loadChatConfig, type TChatConfig } from "./chat-config.ts";
export { resolveClientAddress, trustedProxySet, type TrustedProxies } from "./trusted-proxies.ts";
export { freePort } from "./free-port.ts";

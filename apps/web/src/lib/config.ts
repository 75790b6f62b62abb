import "server-only";
import { loadWebConfig, type TWebConfig } from "@relaycast/config";

let config: TWebConfig | undefined;

/** The web process's configuration, parsed from the environment on first use (not at build time). */
export function getConfig(): TWebConfig {
  return (config ??= loadWebConfig(process.env));
}

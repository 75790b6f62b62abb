export { deriveIrcCredentials, type IrcCredentials } from "./irc-credentials.ts";
export {
  IRCD_DEFAULT_PORTS,
  loadIrcdConfigTemplate,
  parsePgsqlUrl,
  renderIrcdConfig,
  ZIrcdConfigOptions,
  type PgsqlConnection,
  type TIrcdConfigOptions,
  type TIrcdPeer,
} from "./render-ircd-config.ts";
export {
  DEFAULT_INSPIRCD_MODULE_DIR,
  DEFAULT_INSPIRCD_PATH,
  IrcdProcess,
  IrcdStartError,
  isIrcdInstalled,
  type IrcdProcessOptions,
  type IrcdStartErrorCode,
} from "./ircd-process.ts";
export {
  buildIrcdModule,
  DEFAULT_INSPIRCD_INCLUDE_DIR,
  NICK_GUARD_MODULE_SOURCE,
  type BuildIrcdModuleOptions,
} from "./build-ircd-module.ts";

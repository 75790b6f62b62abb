export { deriveIrcCredentials, type IrcCredentials } from "./irc-credentials.ts";
export { renderIrcdConfig, type TIrcdConfigOptions, type TIrcdPeer } from "./render-ircd-config.ts";
export {
  IrcdProcess,
  IrcdStartError,
  type IrcdProcessOptions,
  type IrcdStartErrorCode,
} from "./ircd-process.ts";
export { ircdProcessOptions } from "./ircd-process-options.ts";
export { ensureTlsCertificate, type TlsCertificateFiles } from "./ensure-tls-certificate.ts";

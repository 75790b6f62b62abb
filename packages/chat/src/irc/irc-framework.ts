// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a module declaration cannot be imported
/// <reference path="../types/irc-framework.d.ts" />
// irc-framework ships no types: every import of it goes through here, so the declarations travel
// with this package to whatever compiles it (the gateway app, the benchmark, the e2e setup).
export { Client } from "irc-framework";
export type { TIrcErrorEvent, TIrcJoinEvent, TIrcKickEvent, TIrcMessageEvent } from "irc-framework";

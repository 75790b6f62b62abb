export {
  findFreePorts,
  startTestIrcd,
  type StartTestIrcdOptions,
  type TestIrcd,
  type TestIrcdPorts,
} from "./start-test-ircd.ts";
export {
  IrcRegistrationError,
  IrcTestClient,
  parseIrcLine,
  type IrcLine,
  type IrcTestClientOptions,
} from "./irc-test-client.ts";
export { ChatTestClient } from "./chat-client.ts";
export { startTestGateway, TEST_TOKEN_SECRET } from "./start-test-gateway.ts";

import type { Benchmark } from "./benchmark.ts";
import { CHAT_FLAGS, parseChatOptions } from "./chat/chat-options.ts";
import { runChat } from "./chat/run-chat.ts";

/** Web chatters and IRC clients through the chat gateway and InspIRCd: delivery and latency per rate. */
export const chatBenchmark: Benchmark = {
  summary: "chat lines web → gateway → IRC → gateway → web at 10, 100, 1,000 msg/s with 1,000 chatters",
  flags: CHAT_FLAGS,
  run: (args) => runChat(parseChatOptions(args)),
};

export { startChatGateway, type TChatGatewayConfig } from "./gateway/start-chat-gateway.ts";

export { createTestDatabase } from "./create-test-database.ts";
export { seedChannel } from "./seed-channel.ts";
export { renewedAgo } from "./renewed-ago.ts";

export { createTestDatabase } from "./create-test-database.ts";
export { seedChannel } from "./seed-channel.ts";

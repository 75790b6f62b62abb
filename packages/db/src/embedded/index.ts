export { startEmbeddedPostgres } from "./start-embedded-postgres.ts";
export { loadOrCreateDatabasePassword } from "./database-password.ts";

export { applyMigrations } from "./apply-migrations.ts";
export { createMigration } from "./create-migration.ts";
export { enableIrcDatabaseRole } from "./enable-irc-database-role.ts";

import { describe, expect, it } from "vitest";
import { ZAuditLogQuery } from "./schemas.ts";

describe("ZAuditLogQuery", () => {
  it("keeps valid filters and drops what is not one", () => {
    expect(ZAuditLogQuery.parse({ actor: "alice", action: "ban" })).toEqual({
      actor: "alice",
      action: "ban",
    });
    expect(ZAuditLogQuery.parse({ actor: "A!", action: "drop_tables", before: "x" })).toEqual({});
  });
});

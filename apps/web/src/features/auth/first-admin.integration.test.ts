import { loadWebConfig } from "@relaycast/config";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER } from "@/lib/client-ip.ts";
import { createAuth } from "./auth.ts";

const testDb = useTestDb();
const PASSWORD = "correct horse battery staple";

/**
 * Signs up through the auth library, as the sign-up action does (with the request's headers, the
 * client IP among them), on a site at `publicUrl`.
 */
async function signUpOn(publicUrl: string, username: string, clientIp = "127.0.0.1") {
  const auth = createAuth(
    loadWebConfig({
      DATABASE_URL: testDb.databaseUrl(),
      WEB_AUTH_SECRET: "s".repeat(32),
      WEB_PUBLIC_URL: publicUrl,
      LOG_LEVEL: "silent",
    }),
  );
  await auth.api.signUpEmail({
    body: { email: `${username}@example.com`, password: PASSWORD, name: username, username },
    headers: new Headers({ [CLIENT_IP_HEADER]: clientIp }),
  });
  const user = await testDb.db().user.findUnique({ where: { username }, select: { role: true } });
  return user?.role;
}

describe("the first account", () => {
  it("is a plain user on a public install, and so is every later one", async () => {
    await testDb.db().user.deleteMany({});
    expect(await signUpOn("https://tv.example.com", "first_public")).toBe("user");
    expect(await signUpOn("https://tv.example.com", "second_public")).toBe("user");
  });
});

describe("the first account on a loopback-only install", () => {
  it("is a plain user when it signs up from elsewhere on the network", async () => {
    await testDb.db().user.deleteMany({});
    expect(await signUpOn("http://localhost:3000", "first_lan", "192.168.1.20")).toBe("user");
  });

  it("administers the site when it signs up from this machine; later ones do not", async () => {
    await testDb.db().user.deleteMany({});
    expect(await signUpOn("http://localhost:3000", "first_local")).toBe("admin");
    expect(await signUpOn("http://localhost:3000", "second_local")).toBe("user");
  });
});

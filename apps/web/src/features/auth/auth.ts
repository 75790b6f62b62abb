import "server-only";
import { getCurrentAdapter } from "@better-auth/core/context";
import { trustedProxySet, type TWebConfig } from "@relaycast/config";
import { createAuthDb } from "@relaycast/db";
import { sendMail } from "@/lib/mailer.ts";
import { betterAuth, type BetterAuthPlugin } from "better-auth";
import { APIError } from "better-auth/api";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { username } from "better-auth/plugins/username";
import { CLIENT_IP_HEADER } from "@/lib/client-ip.ts";
import { getConfig } from "@/lib/config.ts";
import { hashPassword, verifyPassword } from "./argon2id.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-policy.ts";
import { ZUsername } from "./username-policy.ts";

const SESSION_DAYS = 30;
const LOOPBACK = trustedProxySet(["127.0.0.0/8", "::1"]);

/**
 * Lets the auth library write a Channel row inside its own sign-up transaction, so that an account
 * never exists without its channel.
 */
const channelRows = {
  id: "relaycast-channel-rows",
  schema: {
    channel: {
      fields: {
        ownerId: {
          type: "string",
          required: true,
          references: { model: "user", field: "id", onDelete: "cascade" },
        },
        name: { type: "string", required: true, unique: true },
      },
    },
  },
} satisfies BetterAuthPlugin;

/** Exported for tests; the app uses `getAuth()`. */
export function createAuth(config: TWebConfig) {
  return betterAuth({
    appName: "Relaycast",
    baseURL: config.publicUrl,
    secret: config.authSecret,
    trustedOrigins: [config.publicUrl],
    telemetry: { enabled: false },
    database: prismaAdapter(createAuthDb(config.databaseUrl), { provider: "postgresql", transaction: true }),
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: verifyPassword },
      // A reset link is good for an hour and once; using it signs the account out everywhere.
      resetPasswordTokenExpiresIn: RESET_LINK_SECONDS,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, token }) => {
        const link = `${config.publicUrl}/reset-password?${new URLSearchParams({ token })}`;
        await sendMail({
          to: user.email,
          subject: "Reset your Relaycast password",
          text: `Someone (we hope you) asked to reset the password of ${user.name} on Relaycast.\n\nChoose a new one here within an hour: ${link}\n\nIf it was not you, ignore this mail: your password stays as it is.`,
        });
      },
    },
    session: { expiresIn: SESSION_DAYS * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    user: {
      // Emails are not verified on this site, so a new one replaces the old at once (after the password).
      changeEmail: { enabled: true, updateEmailWithoutVerification: true },
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "user" },
        suspended: { type: "boolean", input: false, defaultValue: false },
      },
    },
    advanced: {
      cookiePrefix: "relaycast",
      useSecureCookies: config.publicUrl.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    // Login and sign-up limits are ours (per account and per IP, shared by every web process): see actions.ts.
    rateLimit: { enabled: false },
    databaseHooks: {
      // A suspended account cannot sign in (its sessions ended when it was suspended).
      session: {
        create: {
          before: async (session, context) => {
            const adapter = await getCurrentAdapter(context!.context.adapter);
            const user = await adapter.findOne<{ suspended: boolean }>({
              model: "user",
              where: [{ field: "id", value: session.userId }],
            });
            if (user?.suspended)
              throw new APIError("FORBIDDEN", { message: SUSPENDED_MESSAGE, code: SUSPENDED_CODE });
            return { data: session };
          },
        },
      },
      user: {
        create: {
          // The first account of a loopback-only install (`npm start`), signed up from this very
          // machine, administers the site. On a public install, or from elsewhere on the network,
          // whoever came first would: there `npm run admin:create` makes admins.
          before: async (user, context) => {
            const adapter = await getCurrentAdapter(context!.context.adapter);
            const isFromThisMachine =
              config.isLoopbackOnly && LOOPBACK.has(context?.headers?.get(CLIENT_IP_HEADER) ?? "");
            const isFirstAdmin = isFromThisMachine && (await adapter.count({ model: "user" })) === 0;
            return { data: { ...user, role: isFirstAdmin ? "admin" : "user" } };
          },
          after: async (user, context) => {
            const adapter = await getCurrentAdapter(context!.context.adapter);
            const name = (user as typeof user & { username: string }).username;
            await adapter.create({ model: "channel", data: { ownerId: user.id, name } });
          },
        },
      },
    },
    plugins: [
      username({
        minUsernameLength: 3,
        maxUsernameLength: 25,
        usernameValidator: (name) => ZUsername.safeParse(name).success,
      }),
      channelRows,
      nextCookies(),
    ],
  });
}

let auth: ReturnType<typeof createAuth> | undefined;

/** The auth library, configured on first use (not at build time). */
export function getAuth() {
  return (auth ??= createAuth(getConfig()));
}

export const SESSION_COOKIE_NAME = "relaycast.session_token";
const RESET_LINK_SECONDS = 3600;
export const SUSPENDED_CODE = "ACCOUNT_SUSPENDED";
export const SUSPENDED_MESSAGE = "This account is suspended.";

import "server-only";
import { cookies } from "next/headers";

/**
 * A new stream key travels from the sign-up action to the dashboard in a short-lived httpOnly
 * cookie scoped to /dashboard, and is deleted once shown: the key is stored only as a hash, so this
 * is the one time its owner sees it after signing up.
 */
const COOKIE = "relaycast.new_stream_key";

export async function setNewStreamKeyFlash(streamKey: string) {
  (await cookies()).set(COOKIE, streamKey, {
    httpOnly: true,
    sameSite: "strict",
    path: "/dashboard",
    maxAge: 300,
  });
}

export async function readNewStreamKeyFlash(): Promise<string | null> {
  return (await cookies()).get(COOKIE)?.value ?? null;
}

export async function clearNewStreamKeyFlash() {
  (await cookies()).delete({ name: COOKIE, path: "/dashboard" });
}

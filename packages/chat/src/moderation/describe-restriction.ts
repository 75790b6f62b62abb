import type { TChatRestriction } from "@relaycast/db";

/** Why a restricted user may not speak, as they are told; null when they may. */
export function describeRestriction(restriction: TChatRestriction | null, now = Date.now()): string | null {
  if (!restriction) return null;
  const reason = restriction.reason ? ` Reason: ${restriction.reason}` : "";
  if (restriction.kind === "ban") {
    return `${restriction.isGlobal ? "You are banned from every chat on this site." : "You are banned from this chat."}${reason}`;
  }
  const seconds = Math.max(1, Math.ceil(((restriction.expiresAt?.getTime() ?? now) - now) / 1000));
  return `You are timed out for another ${seconds} s.${reason}`;
}

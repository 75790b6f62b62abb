import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The relay's mutual challenge over the cluster secret. Each side proves it knows the secret by an
 * HMAC over both fresh nonces and both node ids, with its role in the message, so a proof is good for
 * one connection, one direction and one pair of nodes only, and nobody without the secret can pull a
 * stream (as an edge) or feed one (as an origin).
 */
export type TRelaySide = "origin" | "edge";

export type RelayHandshake = { edgeId: string; originId: string; edgeNonce: string; originNonce: string };

export function newNonce(): string {
  return randomBytes(16).toString("hex");
}

export function relayProof(secret: string, side: TRelaySide, handshake: RelayHandshake): string {
  const [mine, theirs] =
    side === "origin"
      ? [handshake.originNonce, handshake.edgeNonce]
      : [handshake.edgeNonce, handshake.originNonce];
  return createHmac("sha256", secret)
    .update(`relaycast-relay/1 ${side}\n${theirs}\n${mine}\n${handshake.edgeId}\n${handshake.originId}`)
    .digest("hex");
}

/** Checks a peer's proof in constant time. */
export function isValidProof(
  secret: string,
  side: TRelaySide,
  handshake: RelayHandshake,
  proof: string,
): boolean {
  const expected = Buffer.from(relayProof(secret, side, handshake), "hex");
  const given = Buffer.from(proof, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

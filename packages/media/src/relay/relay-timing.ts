/** Both ends send a PING this often (keep-alive, and the round trip it measures). */
export const KEEPALIVE_MS = 2_000;
/** A peer that sent nothing for this long is gone (three missed keep-alives). */
export const PEER_SILENT_MS = 6_000;
/** From connect to an accepted subscription. */
export const HANDSHAKE_MS = 5_000;

/** What the relay reports for metrics. */
export type RelayEvents = {
  connectionOpened(): void;
  connectionClosed(): void;
  bytesIn(bytes: number): void;
  bytesOut(bytes: number): void;
  authFailed(): void;
  /** A PING's round trip, in ms. */
  roundTrip(ms: number): void;
};

/** Bytes from a peer that break the protocol; the session that reads them closes itself. */
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = "ProtocolError";
  }
}

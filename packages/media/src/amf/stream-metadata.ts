import { decodeAmf0, type Amf0Object } from "./amf0.ts";

/** The onMetaData object of a script tag body, or null when it is something else or unreadable. */
export function readStreamMetadata(body: Buffer): Amf0Object | null {
  let values;
  try {
    values = decodeAmf0(body);
  } catch {
    return null;
  }
  const [command, data] = values;
  if (command !== "onMetaData" || typeof data !== "object" || data === null || data instanceof Date)
    return null;
  return Array.isArray(data) ? null : data;
}

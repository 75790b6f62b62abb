import { decodeAmf0Data } from "./nms-modules.ts";

/** The onMetaData object of a script tag body, or null when it is something else or unreadable. */
export function readStreamMetadata(body: Buffer): Record<string, unknown> | null {
  try {
    const decoded = decodeAmf0Data(body);
    return decoded.cmd === "onMetaData" && decoded.dataObj ? decoded.dataObj : null;
  } catch {
    return null;
  }
}

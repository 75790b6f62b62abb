/** A Recording's `files`: its parts' folders in play order, as `openRecordingPart` writes them. */
export function recordingParts(files: unknown): string[] {
  return Array.isArray(files) ? files.filter((file): file is string => typeof file === "string") : [];
}

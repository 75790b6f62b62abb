/**
 * The layout of a recording in the archive: `<recording id>/` holds `part-1/`, `part-2/`… (one per
 * origin that carried the broadcast, each an HLS playlist of MPEG-TS segments), and once the
 * recording is finished its VOD playlist over all parts and its thumbnail.
 */
export const PART_PLAYLIST = "index.m3u8";
export const PART_SEGMENT_PATTERN = "seg-%05d.ts";
export const RECORDING_PLAYLIST = "index.m3u8";
export const RECORDING_THUMBNAIL = "thumbnail.jpg";

/** A recording's id as the database makes them (UUIDv7), the only folder names at the archive's root. */
export const RECORDING_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

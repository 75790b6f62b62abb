/** Thumbnails are at most this many lines tall; smaller streams keep their size. */
const MAX_HEIGHT = 360;

/** ffmpeg output arguments: the input's first video frame as a JPEG at most 360 lines tall, same aspect. */
export function jpegFrameArgs(output: string): string[] {
  return [
    ...["-map", "0:v:0", "-frames:v", "1", "-vf", `scale=-2:'min(${MAX_HEIGHT},ih)'`],
    ...["-c:v", "mjpeg", "-q:v", "5", "-f", "image2", "-update", "1", output],
  ];
}

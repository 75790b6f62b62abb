import { spawn } from "node:child_process";

export type ProbedStream = {
  index: number;
  codec_type: string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
};

export type ProbeResult =
  { ok: true; streams: ProbedStream[] } | { ok: false; code: number | null; stderr: string };

/**
 * `ffprobe -show_streams` as JSON, of a URL (rtmp://, http://…flv, http://…m3u8) or of FLV bytes fed
 * on stdin. Killed after `timeoutMs`.
 */
export function probe(input: string | Buffer, { timeoutMs = 20_000 } = {}): Promise<ProbeResult> {
  const source = typeof input === "string" ? input : "pipe:0";
  const args = ["-v", "error", "-show_streams", "-of", "json", "-i", source];
  if (typeof input !== "string") args.unshift("-f", "flv");
  const child = spawn("ffprobe", args, { stdio: ["pipe", "pipe", "pipe"] });
  const stdout: Buffer[] = [];
  let stderr = "";
  child.stdout.on("data", (data: Buffer) => stdout.push(data));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (data: string) => (stderr += data));
  child.stdin.on("error", () => {});
  if (typeof input === "string") child.stdin.end();
  else child.stdin.end(input);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) => {
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, code: null, stderr: error.message });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return resolve({ ok: false, code, stderr });
      try {
        const parsed = JSON.parse(Buffer.concat(stdout).toString("utf8")) as { streams?: ProbedStream[] };
        resolve({ ok: true, streams: parsed.streams ?? [] });
      } catch (error) {
        resolve({ ok: false, code, stderr: `${stderr}\nunparseable ffprobe output: ${String(error)}` });
      }
    });
  });
}

/** The codec names of a probe's audio and video streams, e.g. { video: "h264", audio: "aac" }. */
export function codecsOf(result: ProbeResult): { video: string[]; audio: string[] } {
  if (!result.ok) return { video: [], audio: [] };
  const of = (type: string) =>
    result.streams.filter((stream) => stream.codec_type === type).map((stream) => stream.codec_name ?? "?");
  return { video: of("video"), audio: of("audio") };
}

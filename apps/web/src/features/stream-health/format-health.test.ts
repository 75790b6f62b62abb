import { describe, expect, it } from "vitest";
import { formatAudio, formatKeyframeInterval, formatUptime, formatVideo } from "./format-health.ts";

describe("stream health formatting", () => {
  it("shows uptime as m:ss under an hour and h:mm:ss beyond", () => {
    expect(formatUptime(65)).toBe("1:05");
    expect(formatUptime(3725)).toBe("1:02:05");
  });

  it("describes video and audio the way broadcasters read OBS settings", () => {
    expect(formatVideo({ codec: "H.264", width: 1280, height: 720, fps: 30 })).toBe(
      "H.264, 1280×720 at 30 fps",
    );
    expect(formatVideo({ codec: null, width: null, height: null, fps: null })).toBe(
      "unknown codec, unknown size",
    );
    expect(formatAudio({ codec: "AAC", sampleRate: 48000, channels: 2 })).toBe("AAC, 48 kHz, stereo");
    expect(formatAudio({ codec: null, sampleRate: null, channels: null })).toBe("none");
  });

  it("says the keyframe interval is still being measured until two keyframes arrived", () => {
    expect(formatKeyframeInterval(null)).toBe("measuring…");
    expect(formatKeyframeInterval(2000)).toBe("2.0 s");
  });
});

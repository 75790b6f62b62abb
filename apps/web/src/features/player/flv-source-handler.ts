import mpegts from "mpegts.js";
import videojs from "video.js";

/** Dispatched on the video element when the FLV connection fails or ends; the player reconnects. */
export const FLV_ERROR_EVENT = "relaycast:flv-error";

type Html5Tech = { el(): HTMLVideoElement };
type SourceHandlerTech = {
  registerSourceHandler(handler: object, index: number): void;
};

let isRegistered = false;

export function canPlayFlv(): boolean {
  return mpegts.getFeatureList().mseLivePlayback;
}

/**
 * Teaches video.js's HTML5 tech to play `video/x-flv` (HTTP-FLV and WebSocket-FLV) through mpegts.js:
 * about a second behind live, chasing the live edge by playback rate when the buffer grows.
 */
export function registerFlvSourceHandler(): void {
  if (isRegistered) return;
  isRegistered = true;
  const Html5 = videojs.getTech("Html5") as unknown as SourceHandlerTech;
  Html5.registerSourceHandler(
    {
      canPlayType: (type: string) => (type === "video/x-flv" && canPlayFlv() ? "maybe" : ""),
      canHandleSource: (source: { type?: string }) =>
        source.type === "video/x-flv" && canPlayFlv() ? "maybe" : "",
      handleSource(source: { src: string }, tech: Html5Tech) {
        const flv = mpegts.createPlayer(
          { type: "flv", isLive: true, url: source.src },
          {
            enableWorker: false,
            enableStashBuffer: false,
            lazyLoad: false,
            autoCleanupSourceBuffer: true,
            liveSync: true,
            liveSyncMaxLatency: 1.5,
            liveSyncTargetLatency: 0.8,
            liveSyncPlaybackRate: 1.2,
          },
        );
        const video = tech.el();
        const fail = (detail: string) => video.dispatchEvent(new CustomEvent(FLV_ERROR_EVENT, { detail }));
        flv.on(mpegts.Events.ERROR, (type: string, detail: string) => fail(`${type}: ${detail}`));
        flv.on(mpegts.Events.LOADING_COMPLETE, () => fail("the stream ended"));
        flv.attachMediaElement(video);
        flv.load();
        return {
          dispose() {
            flv.destroy();
          },
        };
      },
    },
    0,
  );
}

export {
  ZStreamHealth,
  ZStreamList,
  ZStreamStatus,
  ZViewerCounts,
  type TStreamHealth,
  type TStreamList,
  type TStreamStatus,
  type TViewerCounts,
} from "./stream-api.ts";
export { mediaNodeUrl } from "./media-url.ts";

export {
  ZStreamHealth,
  ZStreamList,
  ZStreamStatus,
  ZViewerCounts,
  type TStreamHealth,
  type TStreamList,
  type TStreamStatus,
} from "./stream-api.ts";

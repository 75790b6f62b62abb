export { TAG_TYPE, type MediaTag, type TTagKind, type TTagType } from "./media-tag.ts";
export { FLV_HEADER, serializeFlvTag, unwrapSetDataFrame } from "./flv-tag.ts";
export { classifyTag } from "./classify-tag.ts";
export { FlvParser, MAX_TAG_BODY_BYTES, type FlvParseResult } from "./flv-parser.ts";
export { ProtocolError } from "./protocol-error.ts";

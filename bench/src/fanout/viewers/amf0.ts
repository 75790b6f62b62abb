/** The AMF0 values an RTMP player sends and reads in its commands. */
export type Amf0Value = number | boolean | string | null | undefined | { [key: string]: Amf0Value };

const MARKER = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  null: 0x05,
  undefined: 0x06,
  ecmaArray: 0x08,
  objectEnd: 0x09,
} as const;

export function encodeAmf0(values: Amf0Value[]): Buffer {
  return Buffer.concat(values.map(encodeValue));
}

function encodeValue(value: Amf0Value): Buffer {
  if (value === null) return Buffer.from([MARKER.null]);
  if (value === undefined) return Buffer.from([MARKER.undefined]);
  if (typeof value === "number") {
    const buffer = Buffer.alloc(9);
    buffer[0] = MARKER.number;
    buffer.writeDoubleBE(value, 1);
    return buffer;
  }
  if (typeof value === "boolean") return Buffer.from([MARKER.boolean, value ? 1 : 0]);
  if (typeof value === "string") return Buffer.concat([Buffer.from([MARKER.string]), encodeKey(value)]);
  const parts: Buffer[] = [Buffer.from([MARKER.object])];
  for (const [key, item] of Object.entries(value)) parts.push(encodeKey(key), encodeValue(item));
  parts.push(Buffer.from([0, 0, MARKER.objectEnd]));
  return Buffer.concat(parts);
}

function encodeKey(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** Decodes a command's values; stops quietly at a type a player's commands do not need. */
export function decodeAmf0(buffer: Buffer): Amf0Value[] {
  const reader = { buffer, offset: 0 };
  const values: Amf0Value[] = [];
  while (reader.offset < buffer.length) {
    const value = readValue(reader);
    if (value === STOP) break;
    values.push(value);
  }
  return values;
}

const STOP = Symbol("unsupported AMF0 type");
type Reader = { buffer: Buffer; offset: number };

function readValue(reader: Reader): Amf0Value | typeof STOP {
  const { buffer } = reader;
  const marker = buffer[reader.offset++];
  switch (marker) {
    case MARKER.number:
      reader.offset += 8;
      return buffer.readDoubleBE(reader.offset - 8);
    case MARKER.boolean:
      return buffer[reader.offset++] !== 0;
    case MARKER.string:
      return readKey(reader);
    case MARKER.null:
      return null;
    case MARKER.undefined:
      return undefined;
    case MARKER.ecmaArray:
      reader.offset += 4;
      return readProperties(reader);
    case MARKER.object:
      return readProperties(reader);
    default:
      return STOP;
  }
}

function readProperties(reader: Reader): { [key: string]: Amf0Value } | typeof STOP {
  const object: { [key: string]: Amf0Value } = {};
  while (reader.offset + 3 <= reader.buffer.length) {
    const key = readKey(reader);
    if (key === "" && reader.buffer[reader.offset] === MARKER.objectEnd) {
      reader.offset += 1;
      return object;
    }
    const value = readValue(reader);
    if (value === STOP) return STOP;
    object[key] = value;
  }
  return STOP;
}

function readKey(reader: Reader): string {
  const length = reader.buffer.readUInt16BE(reader.offset);
  reader.offset += 2 + length;
  return reader.buffer.toString("utf8", reader.offset - length, reader.offset);
}

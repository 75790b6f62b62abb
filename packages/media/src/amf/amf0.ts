import { ProtocolError } from "../flv/protocol-error.ts";

/** AMF0 type markers (Adobe AMF0 specification, section 2). */
const MARKER = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  null: 0x05,
  undefined: 0x06,
  ecmaArray: 0x08,
  objectEnd: 0x09,
  strictArray: 0x0a,
  date: 0x0b,
  longString: 0x0c,
} as const;

/** Nesting deeper than this is not metadata but an attempt to exhaust the stack. */
const MAX_DEPTH = 16;

export type Amf0Value = number | boolean | string | null | undefined | Date | Amf0Value[] | Amf0Object;
export type Amf0Object = { [key: string]: Amf0Value };

/**
 * Decodes the AMF0 values of a script tag body, in order. Pure: throws a ProtocolError on anything it
 * cannot read (a truncated value, an unknown marker, nesting past MAX_DEPTH).
 */
export function decodeAmf0(body: Buffer): Amf0Value[] {
  const reader = new Amf0Reader(body);
  const values: Amf0Value[] = [];
  while (!reader.isDone()) values.push(reader.value(0));
  return values;
}

class Amf0Reader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  isDone(): boolean {
    return this.offset >= this.buffer.length;
  }

  value(depth: number): Amf0Value {
    if (depth > MAX_DEPTH) throw new ProtocolError("AMF_TOO_DEEP", { depth });
    const marker = this.bytes(1)[0]!;
    switch (marker) {
      case MARKER.number:
        return this.bytes(8).readDoubleBE(0);
      case MARKER.boolean:
        return this.bytes(1)[0] !== 0;
      case MARKER.string:
        return this.string(this.bytes(2).readUInt16BE(0));
      case MARKER.longString:
        return this.string(this.bytes(4).readUInt32BE(0));
      case MARKER.object:
        return this.properties(depth);
      case MARKER.ecmaArray:
        this.bytes(4); // the count is a hint only; the properties end with an object-end marker
        return this.properties(depth);
      case MARKER.strictArray: {
        const count = this.bytes(4).readUInt32BE(0);
        const items: Amf0Value[] = [];
        for (let index = 0; index < count; index += 1) items.push(this.value(depth + 1));
        return items;
      }
      case MARKER.date:
        // Milliseconds since the epoch, then a 16-bit time zone that the specification says to ignore.
        return new Date(this.bytes(10).readDoubleBE(0));
      case MARKER.null:
        return null;
      case MARKER.undefined:
        return undefined;
      default:
        throw new ProtocolError("AMF_UNKNOWN_MARKER", { marker, offset: this.offset - 1 });
    }
  }

  private properties(depth: number): Amf0Object {
    const object: Amf0Object = {};
    for (;;) {
      const key = this.string(this.bytes(2).readUInt16BE(0));
      if (key === "" && this.buffer[this.offset] === MARKER.objectEnd) {
        this.offset += 1;
        return object;
      }
      object[key] = this.value(depth + 1);
    }
  }

  private string(length: number): string {
    return this.bytes(length).toString("utf8");
  }

  private bytes(length: number): Buffer {
    if (this.offset + length > this.buffer.length)
      throw new ProtocolError("AMF_TRUNCATED", { offset: this.offset, length });
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}

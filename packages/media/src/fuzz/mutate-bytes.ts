import type { Random } from "./random.ts";

/** Byte-level damage: bit flips, bytes set to edge values, truncation, inserted and repeated runs. */
export function mutateBytes(input: Buffer, random: Random): Buffer {
  let bytes = Buffer.from(input);
  const rounds = random.int(1, 4);
  for (let round = 0; round < rounds && bytes.length > 0; round += 1) {
    const at = random.int(0, bytes.length - 1);
    switch (random.int(0, 5)) {
      case 0:
        bytes[at] = bytes[at]! ^ (1 << random.int(0, 7));
        break;
      case 1:
        bytes[at] = random.pick([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]);
        break;
      case 2:
        bytes = bytes.subarray(0, at);
        break;
      case 3:
        bytes = Buffer.concat([bytes.subarray(0, at), random.bytes(random.int(1, 64)), bytes.subarray(at)]);
        break;
      case 4: {
        const end = Math.min(bytes.length, at + random.int(1, 256));
        bytes = Buffer.concat([bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end)]);
        break;
      }
      default:
        if (at + 4 <= bytes.length) bytes.writeUInt32BE(random.edgy32(), at);
    }
  }
  return bytes;
}

/** Bytes of a session that may arrive in tiny pieces; past them, pieces are larger (parsing cost, not coverage). */
const TINY_PIECES_BYTES = 4_096;

/** Cuts bytes into the pieces a TCP peer might deliver them in, from single bytes to everything at once. */
export function splitWrites(bytes: Buffer, random: Random): Buffer[] {
  const style = random.int(0, 3);
  if (style === 0 || bytes.length === 0) return [bytes];
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const isTiny = style === 1 && offset < TINY_PIECES_BYTES;
    const size = isTiny ? random.int(1, 8) : style === 2 ? random.int(1, 1_500) : random.int(1_500, 65_536);
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

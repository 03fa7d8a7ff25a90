import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { compositeRecords, concat, view, type FontProgram } from './true-type';

// How an embedded font travels inside a Lambda bundle: the glyph outlines split into streams of like data
// (contour counts, contour ends, point flags, x and y coordinates, composite records), as WOFF2 does, without
// what can be recomputed (a simple glyph's bounding box, its empty instructions, each glyph's offset, the left
// side bearing, which equals the outline's left edge), then Brotli. DejaVu Serif's letter subset is 51 KB as a
// TrueType file, 22.6 KB as that file's tables under Brotli, ~18.5 KB packed so: base64 in the bundle is what the
// 150 KiB budget of issue 10 pays for, so ~5 KiB less is worth a hundred lines. `packFont` runs when the font
// module is generated (scripts/embed-font.ts) and checks that `unpackFont` gives every glyph back byte for byte.

const SMALL_TABLES = ['head', 'hhea', 'maxp', 'OS/2', 'post', 'cmap'];

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  u8 = () => this.bytes[this.at++]!;
  u16 = () => (this.at += 2) && view(this.bytes).getUint16(this.at - 2);
  i16 = () => (this.at += 2) && view(this.bytes).getInt16(this.at - 2);
  u32 = () => (this.at += 4) && view(this.bytes).getUint32(this.at - 4);
  take = (length: number) => this.bytes.subarray(this.at, (this.at += length));
}

/** The inverse of `packFont`: the font's tables and outlines, the bounding boxes recomputed. */
export function unpackFont(packed: Uint8Array): FontProgram {
  const input = new Reader(brotliDecompressSync(packed));
  const glyphCount = input.u16();
  const tables = new Map<string, Uint8Array>();
  for (const tag of SMALL_TABLES) tables.set(tag, input.take(input.u32()));
  const advances = Array.from({ length: glyphCount }, input.u16);
  const [contours, ends, flags, xs, ys, composites, blanks, boxes] = [0, 1, 2, 3, 4, 5, 6, 7]
    .map(() => input.u32())
    .map((length) => new Reader(input.take(length)));
  const explicitBoxes = new Map<number, Uint8Array>();
  while (boxes!.at < boxes!.bytes.length) explicitBoxes.set(boxes!.u16(), boxes!.take(8));
  const glyphs: Uint8Array[] = [];
  const leftBearings: number[] = [];
  for (let glyph = 0; glyph < glyphCount; glyph += 1) {
    const contourCount = contours!.i16();
    if (contourCount === 0) {
      glyphs.push(new Uint8Array(0));
      leftBearings.push(blanks!.i16());
    } else if (contourCount < 0) {
      const start = composites!.at;
      composites!.at = compositeRecords(composites!.bytes, start + 8).end;
      const outline = concat([new Uint8Array([0xff, 0xff]), composites!.bytes.subarray(start, composites!.at)]);
      glyphs.push(outline);
      leftBearings.push(view(outline).getInt16(2));
    } else {
      const endPoints = ends!.take(contourCount * 2);
      const pointCount = view(endPoints).getUint16(endPoints.length - 2) + 1;
      const pointFlags: number[] = [];
      const flagStart = flags!.at;
      while (pointFlags.length < pointCount) {
        const flag = flags!.u8();
        const repeat = flag & 8 ? flags!.u8() + 1 : 1;
        for (let i = 0; i < repeat; i += 1) pointFlags.push(flag);
      }
      // Coordinates are deltas: a byte with its sign in the flags (bit 1/2, sign bit 4/5), a repeat (bit 4/5 alone),
      // or a signed word (TrueType, glyf).
      const axis = (stream: Reader, short: number, same: number): [Uint8Array, number, number] => {
        const start = stream.at;
        let value = 0;
        let min = Infinity;
        let max = -Infinity;
        for (const flag of pointFlags) {
          if (flag & short) value += flag & same ? stream.u8() : -stream.u8();
          else if (!(flag & same)) value += stream.i16();
          min = Math.min(min, value);
          max = Math.max(max, value);
        }
        return [stream.bytes.subarray(start, stream.at), min, max];
      };
      const [xBytes, xMin, xMax] = axis(xs!, 2, 16);
      const [yBytes, yMin, yMax] = axis(ys!, 4, 32);
      const header = new DataView(new ArrayBuffer(10));
      [contourCount, xMin, yMin, xMax, yMax].forEach((value, i) => header.setInt16(i * 2, value));
      if (explicitBoxes.has(glyph)) new Uint8Array(header.buffer).set(explicitBoxes.get(glyph)!, 2);
      glyphs.push(concat([new Uint8Array(header.buffer), endPoints, new Uint8Array(2), flags!.bytes.subarray(flagStart, flags!.at), xBytes, yBytes]));
      leftBearings.push(header.getInt16(2));
    }
  }
  return { tables, glyphs, advances, leftBearings };
}

/** Packs a font for `unpackFont`, and fails when the unpacked font would differ from it in any glyph or metric. */
export function packFont(program: FontProgram): Uint8Array {
  // A box is the outline's extent, which a curve's control point may lie outside of (DejaVu's "ѳ", 447, reaches
  // -23 while a control point is at -32): those few glyphs keep theirs, as WOFF2's bboxBitmap does.
  const recomputed = unpackFont(pack(program, new Set()));
  const differ = (glyph: number) => recomputed.glyphs[glyph]!.subarray(2, 10).some((byte, i) => byte !== program.glyphs[glyph]![2 + i]);
  const packed = pack(
    program,
    new Set(program.glyphs.map((_, glyph) => glyph).filter((glyph) => program.glyphs[glyph]!.length > 0 && differ(glyph))),
  );
  const unpacked = unpackFont(packed);
  program.glyphs.forEach((outline, glyph) => {
    const again = unpacked.glyphs[glyph]!;
    // A glyph's data in glyf may end in padding; the packed form leaves it to whoever writes the table.
    const same =
      again.length <= outline.length && outline.subarray(again.length).every((byte) => byte === 0) && again.every((byte, i) => byte === outline[i]);
    if (!same || unpacked.leftBearings[glyph] !== program.leftBearings[glyph] || unpacked.advances[glyph] !== program.advances[glyph]) {
      throw new Error(`packFont cannot carry glyph ${glyph} unchanged`);
    }
  });
  return packed;
}

function pack(program: FontProgram, explicitBoxes: ReadonlySet<number>): Uint8Array {
  const u16 = (value: number) => new Uint8Array([value >> 8, value & 0xff]);
  const u32 = (value: number) => new Uint8Array([value >>> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
  const streams: Uint8Array[][] = [[], [], [], [], [], [], [], []];
  const [contours, ends, flags, xs, ys, composites, blanks, boxes] = streams;
  for (const [glyph, outline] of program.glyphs.entries()) {
    if (outline.length === 0) {
      // A glyph without outline has no left edge to take its bearing from (DejaVu's .notdef has 102 units).
      contours!.push(u16(0));
      blanks!.push(u16(program.leftBearings[glyph]! & 0xffff));
      continue;
    }
    const data = view(outline);
    const contourCount = data.getInt16(0);
    contours!.push(outline.subarray(0, 2));
    if (contourCount < 0) {
      composites!.push(outline.subarray(2, compositeRecords(outline, 10).end));
      continue;
    }
    if (explicitBoxes.has(glyph)) boxes!.push(u16(glyph), outline.subarray(2, 10));
    ends!.push(outline.subarray(10, 10 + contourCount * 2));
    const instructions = data.getUint16(10 + contourCount * 2);
    if (instructions) throw new Error('packFont takes fonts without hinting instructions');
    const input = new Reader(outline);
    input.at = 12 + contourCount * 2;
    const pointCount = data.getUint16(10 + contourCount * 2 - 2) + 1;
    const pointFlags: number[] = [];
    while (pointFlags.length < pointCount) {
      const flag = input.u8();
      const repeat = flag & 8 ? input.u8() + 1 : 1;
      for (let i = 0; i < repeat; i += 1) pointFlags.push(flag);
    }
    flags!.push(outline.subarray(12 + contourCount * 2, input.at));
    const length = (short: number, same: number) => pointFlags.reduce((sum, flag) => sum + (flag & short ? 1 : flag & same ? 0 : 2), 0);
    xs!.push(input.take(length(2, 16)));
    ys!.push(input.take(length(4, 32)));
  }
  const raw = concat([
    u16(program.glyphs.length),
    ...SMALL_TABLES.flatMap((tag) => [u32(program.tables.get(tag)!.length), program.tables.get(tag)!]),
    ...program.advances.map(u16),
    ...streams.map((stream) => u32(concat(stream).length)),
    ...streams.flat(),
  ]);
  return new Uint8Array(
    brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }),
  );
}

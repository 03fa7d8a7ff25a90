// The few parts of a TrueType font that a PDF needs: which glyph draws a character (cmap), how wide each glyph is
// (hmtx), the metrics for the font descriptor (head, hhea, OS/2, post), and the outlines (glyf) of the glyphs one
// document uses, written back as a font file of its own (the "subset" embedded as FontFile2). Glyph ids are kept
// as they are and the outlines of unused glyphs are left empty, so a glyph id is the CID the page content writes
// (CIDToGIDMap /Identity) and no renumbering is needed. Layout features (kerning, contextual forms) are not read:
// pdf-lib, which printed the letters before, drew advance widths only too.

/** A font as read from a file or unpacked (font-pack.ts): its small tables as they are, outlines glyph by glyph. */
export interface FontProgram {
  /** head, hhea, maxp, OS/2, post and cmap, each as the font file has it. */
  tables: Map<string, Uint8Array>;
  /** Each glyph's outline as in glyf, without the padding between glyphs; empty for a glyph that draws nothing. */
  glyphs: Uint8Array[];
  /** Advance widths in font units, one per glyph. */
  advances: number[];
  /** Left side bearings in font units, one per glyph. */
  leftBearings: number[];
}

export const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function table(program: FontProgram, tag: string): DataView {
  const bytes = program.tables.get(tag);
  if (!bytes) throw new Error(`the font has no ${tag} table`);
  return view(bytes);
}

/** Reads a TrueType font file (sfnt with glyf outlines). */
export function readTrueType(file: Uint8Array): FontProgram {
  const data = view(file);
  const tables = new Map<string, Uint8Array>();
  for (let i = 0; i < data.getUint16(4); i += 1) {
    const entry = 12 + 16 * i;
    const tag = String.fromCharCode(...file.subarray(entry, entry + 4));
    const offset = data.getUint32(entry + 8);
    tables.set(tag, file.subarray(offset, offset + data.getUint32(entry + 12)));
  }
  const program: FontProgram = { tables, glyphs: [], advances: [], leftBearings: [] };
  const glyphCount = table(program, 'maxp').getUint16(4);
  const longOffsets = table(program, 'head').getInt16(50) === 1;
  const loca = table(program, 'loca');
  const glyf = tables.get('glyf')!;
  const offset = (glyph: number) => (longOffsets ? loca.getUint32(glyph * 4) : loca.getUint16(glyph * 2) * 2);
  const hmtx = table(program, 'hmtx');
  const metricCount = table(program, 'hhea').getUint16(34);
  for (let glyph = 0; glyph < glyphCount; glyph += 1) {
    program.glyphs.push(glyf.subarray(offset(glyph), offset(glyph + 1)));
    // Glyphs past numberOfHMetrics share the last advance and list only their bearing (OpenType, hmtx).
    const metric = Math.min(glyph, metricCount - 1);
    program.advances.push(hmtx.getUint16(metric * 4));
    program.leftBearings.push(glyph < metricCount ? hmtx.getInt16(glyph * 4 + 2) : hmtx.getInt16(metricCount * 4 + (glyph - metricCount) * 2));
  }
  for (const tag of ['glyf', 'loca', 'hmtx']) tables.delete(tag);
  return program;
}

/** Character to glyph, from the cmap's Unicode subtable (format 12 for the full range, else format 4). */
export function characterMap(program: FontProgram): Map<number, number> {
  const cmap = table(program, 'cmap');
  const subtables = new Map<number, number>();
  for (let i = 0; i < cmap.getUint16(2); i += 1) {
    const [platform, encoding, offset] = [cmap.getUint16(4 + i * 8), cmap.getUint16(6 + i * 8), cmap.getUint32(8 + i * 8)];
    if (platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))) subtables.set(cmap.getUint16(offset), offset);
  }
  const map = new Map<number, number>();
  const long = subtables.get(12);
  if (long !== undefined) {
    for (let i = 0; i < cmap.getUint32(long + 12); i += 1) {
      const group = long + 16 + i * 12;
      const first = cmap.getUint32(group);
      for (let code = first; code <= cmap.getUint32(group + 4); code += 1) map.set(code, cmap.getUint32(group + 8) + code - first);
    }
    return map;
  }
  const short = subtables.get(4);
  if (short === undefined) throw new Error('the font has no Unicode cmap (format 4 or 12)');
  const segments = cmap.getUint16(short + 6) / 2;
  const ends = short + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let s = 0; s < segments; s += 1) {
    const delta = cmap.getInt16(deltas + s * 2);
    const rangeOffset = cmap.getUint16(rangeOffsets + s * 2);
    for (let code = cmap.getUint16(starts + s * 2); code <= cmap.getUint16(ends + s * 2) && code !== 0xffff; code += 1) {
      let glyph = code;
      if (rangeOffset) {
        glyph = cmap.getUint16(rangeOffsets + s * 2 + rangeOffset + (code - cmap.getUint16(starts + s * 2)) * 2);
        if (glyph === 0) continue;
      }
      map.set(code, (glyph + delta) & 0xffff);
    }
  }
  return map;
}

/** What a PDF font descriptor says of the font, in its units (ISO 32000-1, 9.8). */
export function fontMetrics(program: FontProgram) {
  const head = table(program, 'head');
  const hhea = table(program, 'hhea');
  const os2 = table(program, 'OS/2');
  const post = table(program, 'post');
  const ascent = hhea.getInt16(4);
  return {
    unitsPerEm: head.getUint16(18),
    box: [head.getInt16(36), head.getInt16(38), head.getInt16(40), head.getInt16(42)],
    ascent,
    descent: hhea.getInt16(6),
    capHeight: os2.getUint16(0) >= 2 ? os2.getInt16(88) : ascent,
    italicAngle: post.getInt32(4) / 65536,
    fixedPitch: post.getUint32(12) !== 0,
    /** OS/2 sFamilyClass: 1-7 are the serif classes, 10 the scripts. */
    familyClass: os2.getInt16(30) >> 8,
    italic: (head.getUint16(44) & 2) !== 0,
  };
}

/** The glyphs a composite glyph is built of (they must be embedded with it). */
export function componentsOf(outline: Uint8Array): number[] {
  if (outline.length === 0 || view(outline).getInt16(0) >= 0) return [];
  return compositeRecords(outline, 10).components;
}

/** Walks a composite glyph's component records from `start`; returns where they end and the glyphs they name. */
export function compositeRecords(outline: Uint8Array, start: number): { end: number; components: number[] } {
  const data = view(outline);
  const components: number[] = [];
  let at = start;
  let flags: number;
  do {
    flags = data.getUint16(at);
    components.push(data.getUint16(at + 2));
    // Arguments are words or bytes (bit 0); then a scale (bit 3), x and y scales (bit 6) or a 2×2 matrix (bit 7).
    at += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
  } while (flags & 0x20);
  // Instructions after the last component (bit 8): hinting, which the embedded fonts have none of.
  if (flags & 0x100) at += 2 + data.getUint16(at);
  return { end: at, components };
}

/**
 * A font file with the outlines of `used` only (and the glyphs they are built of, and glyph 0), every other glyph
 * left empty: what a PDF embeds as FontFile2. Tables as pdf-lib's fontkit wrote them: head, hhea, maxp, hmtx,
 * loca and glyf (a CIDFontType2 needs no cmap: the CIDs are glyph ids).
 */
export function subsetFontFile(program: FontProgram, used: Iterable<number>): Uint8Array {
  const kept = new Set<number>();
  const keep = (glyph: number): void => {
    if (kept.has(glyph)) return;
    kept.add(glyph);
    componentsOf(program.glyphs[glyph]!).forEach(keep);
  };
  keep(0);
  for (const glyph of used) keep(glyph);

  const count = program.glyphs.length;
  const loca = new DataView(new ArrayBuffer((count + 1) * 4));
  const outlines: Uint8Array[] = [];
  let offset = 0;
  for (let glyph = 0; glyph < count; glyph += 1) {
    loca.setUint32(glyph * 4, offset);
    if (!kept.has(glyph)) continue;
    const outline = program.glyphs[glyph]!;
    outlines.push(outline, new Uint8Array(-outline.length & 3)); // 4-byte aligned, as long offsets allow
    offset += (outline.length + 3) & ~3;
  }
  loca.setUint32(count * 4, offset);
  const hmtx = new DataView(new ArrayBuffer(count * 4));
  program.advances.forEach((advance, glyph) => {
    hmtx.setUint16(glyph * 4, advance);
    hmtx.setInt16(glyph * 4 + 2, program.leftBearings[glyph]!);
  });
  const head = program.tables.get('head')!.slice();
  view(head).setUint32(8, 0); // checkSumAdjustment, set below
  view(head).setInt16(50, 1); // indexToLocFormat: long offsets
  const hhea = program.tables.get('hhea')!.slice();
  view(hhea).setUint16(34, count); // numberOfHMetrics: every glyph has its own
  const file = sfnt(
    new Map([
      ['glyf', concat(outlines)],
      ['head', head],
      ['hhea', hhea],
      ['hmtx', new Uint8Array(hmtx.buffer)],
      ['loca', new Uint8Array(loca.buffer)],
      ['maxp', program.tables.get('maxp')!],
    ]),
  );
  // The whole file's checksum is 0xB1B0AFBA with head's adjustment in (OpenType, head table).
  const headOffset = view(file).getUint32(12 + 16 + 8);
  view(file).setUint32(headOffset + 8, (0xb1b0afba - checksum(file)) >>> 0);
  return file;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

function checksum(bytes: Uint8Array): number {
  const padded = bytes.length % 4 ? concat([bytes, new Uint8Array(4 - (bytes.length % 4))]) : bytes;
  const data = view(padded);
  let sum = 0;
  for (let at = 0; at < padded.length; at += 4) sum = (sum + data.getUint32(at)) >>> 0;
  return sum;
}

/** An sfnt file of `tables` (tags in ascending order, as the format requires), each 4-byte aligned. */
function sfnt(tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const header = new DataView(new ArrayBuffer(12 + 16 * tags.length));
  const power = 2 ** Math.floor(Math.log2(tags.length));
  header.setUint32(0, 0x00010000);
  header.setUint16(4, tags.length);
  header.setUint16(6, power * 16);
  header.setUint16(8, Math.log2(power));
  header.setUint16(10, tags.length * 16 - power * 16);
  const parts: Uint8Array[] = [new Uint8Array(header.buffer)];
  let offset = header.byteLength;
  tags.forEach((tag, i) => {
    const bytes = tables.get(tag)!;
    for (let c = 0; c < 4; c += 1) header.setUint8(12 + 16 * i + c, tag.charCodeAt(c));
    header.setUint32(12 + 16 * i + 4, checksum(bytes));
    header.setUint32(12 + 16 * i + 8, offset);
    header.setUint32(12 + 16 * i + 12, bytes.length);
    parts.push(bytes, new Uint8Array(-bytes.length & 3));
    offset += (bytes.length + 3) & ~3;
  });
  return concat(parts);
}

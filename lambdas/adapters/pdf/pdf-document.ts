import { deflateSync } from 'node:zlib';
import { characterMap, fontMetrics, subsetFontFile, type FontProgram } from './true-type';

// A PDF writer for what the printed letters need and no more (ISO 32000-1): pages of text in one embedded TrueType
// font, the document's title, author and language. pdf-lib and fontkit, which did this before, were 1.4 MB of the
// decisionLetter bundle against issue 10's 150 KiB per function; this is ~5 KiB.
//
// The font is a Type 0 font with Identity-H encoding over a CIDFontType2 whose CIDs are the TrueType glyph ids
// (9.7.4): any glyph can be drawn, not only the 256 a simple font's encoding reaches, and a ToUnicode CMap (9.10.3)
// maps each glyph back to its characters, so the text can be searched, copied and read aloud.

export interface TextStyle {
  x: number;
  y: number;
  size: number;
  /** Fill colour, red green blue from 0 to 1. */
  color: readonly [number, number, number];
}

/** Characters the font draws with other glyphs than its cmap says (ligatures such as "fi"), as pdf-lib's fontkit shaped them. */
export type Substitutions = Readonly<Record<string, readonly number[]>>;

/** Numbers as PDF writes them: at most three decimals, no exponent. */
const number = (value: number) => String(Math.round(value * 1000) / 1000);

const hex4 = (value: number) => value.toString(16).toUpperCase().padStart(4, '0');

/** A text string (7.9.2.2): UTF-16BE with its byte order mark, written in hex so that no character needs escaping. */
const textString = (text: string) => `<FEFF${utf16(text)}>`;

const utf16 = (text: string) => Array.from({ length: text.length }, (_, i) => hex4(text.charCodeAt(i))).join('');

export class PdfFont {
  private readonly glyphOf: Map<number, number>;
  private readonly metrics: ReturnType<typeof fontMetrics>;
  /** Each glyph drawn, with the characters it was drawn for (the first ones, when several share it). */
  readonly used = new Map<number, string>();

  constructor(
    readonly program: FontProgram,
    readonly postScriptName: string,
    private readonly substitutions: Substitutions = {},
  ) {
    this.glyphOf = characterMap(program);
    this.metrics = fontMetrics(program);
  }

  /**
   * Characters to glyphs: a substitution of two characters, then of one, then the cmap. A character the font lacks
   * becomes glyph 0, the font's empty box, as it did with pdf-lib.
   */
  glyphs(text: string): { glyph: number; text: string }[] {
    const characters = [...text];
    const shaped: { glyph: number; text: string }[] = [];
    for (let i = 0; i < characters.length; i += 1) {
      const pair = characters[i]! + (characters[i + 1] ?? '');
      const single = characters[i]!;
      if (characters[i + 1] !== undefined && this.substitutions[pair]) {
        for (const glyph of this.substitutions[pair]) shaped.push({ glyph, text: pair });
        i += 1;
      } else if (this.substitutions[single]) {
        // Only a ligature names its characters in ToUnicode: a character drawn as another's glyph (a soft hyphen as
        // a space) must not take that glyph's meaning.
        for (const glyph of this.substitutions[single]) shaped.push({ glyph, text: '' });
      } else shaped.push({ glyph: this.glyphOf.get(single.codePointAt(0)!) ?? 0, text: single });
    }
    return shaped;
  }

  /** The text's width in points at `size`, the sum of its glyphs' advances as the PDF's W array gives them. */
  widthOfTextAtSize(text: string, size: number): number {
    return this.glyphs(text).reduce((sum, { glyph }) => sum + this.advance(glyph), 0) * (size / 1000);
  }

  /** A glyph's advance in PDF glyph space (thousandths of the font size). */
  advance(glyph: number): number {
    return Number(number((this.program.advances[glyph]! * 1000) / this.metrics.unitsPerEm));
  }

  /** The hex string a content stream shows the text with, noting the glyphs for the subset and ToUnicode. */
  encode(text: string): string {
    return `<${this.glyphs(text)
      .map(({ glyph, text: characters }) => {
        // Glyph 0 stands for every character the font lacks, so it maps to none.
        if (!this.used.get(glyph)) this.used.set(glyph, glyph === 0 ? '' : characters);
        return hex4(glyph);
      })
      .join('')}>`;
  }

  get scaledMetrics() {
    const scale = (value: number) => number((value * 1000) / this.metrics.unitsPerEm);
    return { ...this.metrics, scale };
  }
}

interface Page {
  width: number;
  height: number;
  content: string[];
}

export class PdfPage {
  constructor(
    private readonly page: Page,
    private readonly font: PdfFont,
  ) {}

  drawText(text: string, { x, y, size, color }: TextStyle): void {
    this.page.content.push(
      `BT /F1 ${number(size)} Tf ${color.map(number).join(' ')} rg 1 0 0 1 ${number(x)} ${number(y)} Tm ${this.font.encode(text)} Tj ET`,
    );
  }
}

export interface DocumentInfo {
  title: string;
  author: string;
  /** BCP 47, e.g. pl-PL: screen readers and hyphenation read it (14.9.2). */
  language: string;
}

export class PdfDocument {
  private readonly pages: Page[] = [];

  constructor(
    private readonly info: DocumentInfo,
    readonly font: PdfFont,
  ) {}

  addPage(width: number, height: number): PdfPage {
    const page: Page = { width, height, content: [] };
    this.pages.push(page);
    return new PdfPage(page, this.font);
  }

  /** The file: header, objects, cross-reference table and trailer (7.5). */
  save(): Uint8Array {
    const objects: (string | Uint8Array)[][] = [];
    const add = (...parts: (string | Uint8Array)[]) => objects.push(parts) && objects.length;
    const stream = (dictionary: string, data: Uint8Array) => {
      const deflated = deflateSync(data);
      return add(`<< ${dictionary} /Filter /FlateDecode /Length ${deflated.length} >>\nstream\n`, deflated, '\nendstream');
    };
    const text = (value: string) => new Uint8Array(Buffer.from(value, 'latin1'));

    const font = this.font;
    const pageObjects = this.pages.map((page) => ({ page, content: stream('', text(page.content.join('\n'))) }));
    const metrics = font.scaledMetrics;
    const used = [...font.used.keys()].sort((a, b) => a - b);
    // A subset's name starts with six capital letters naming the subset (9.6.4); derived from the glyphs, so the
    // same letter gives the same file.
    let hash = 2166136261;
    for (const glyph of used) hash = Math.imul(hash ^ glyph, 16777619) >>> 0;
    const tag = Array.from({ length: 6 }, (_, i) => String.fromCharCode(65 + (Math.floor(hash / 26 ** i) % 26))).join('');
    const name = `/${tag}+${font.postScriptName}`;
    const fontFile = subsetFontFile(font.program, used);
    const fontFileObject = stream(`/Length1 ${fontFile.length}`, fontFile);
    const flags =
      (metrics.fixedPitch ? 1 : 0) |
      (metrics.familyClass >= 1 && metrics.familyClass <= 7 ? 2 : 0) |
      4 |
      (metrics.familyClass === 10 ? 8 : 0) |
      (metrics.italic ? 64 : 0);
    const descriptor = add(
      `<< /Type /FontDescriptor /FontName ${name} /Flags ${flags} /FontBBox [${metrics.box.map(metrics.scale).join(' ')}] /ItalicAngle ${number(metrics.italicAngle)}` +
        ` /Ascent ${metrics.scale(metrics.ascent)} /Descent ${metrics.scale(metrics.descent)} /CapHeight ${metrics.scale(metrics.capHeight)} /StemV 80 /FontFile2 ${fontFileObject} 0 R >>`,
    );
    // Widths of the glyphs drawn, consecutive ids in one run: `first [w1 w2 …]` (9.7.4.3).
    const widths: string[] = [];
    for (let i = 0; i < used.length; i += 1) {
      const run = [used[i]!];
      while (used[i + 1] === run[run.length - 1]! + 1) run.push(used[++i]!);
      widths.push(`${run[0]} [${run.map((glyph) => font.advance(glyph)).join(' ')}]`);
    }
    const cidFont = add(
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont ${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>` +
        ` /FontDescriptor ${descriptor} 0 R /W [${widths.join(' ')}] /CIDToGIDMap /Identity >>`,
    );
    const toUnicode = stream('', text(toUnicodeCMap(font.used)));
    const type0 = add(
      `<< /Type /Font /Subtype /Type0 /BaseFont ${name} /Encoding /Identity-H /DescendantFonts [${cidFont} 0 R] /ToUnicode ${toUnicode} 0 R >>`,
    );
    const pagesNumber = objects.length + this.pages.length + 1;
    const pageNumbers = pageObjects.map(({ page, content }) =>
      add(
        `<< /Type /Page /Parent ${pagesNumber} 0 R /MediaBox [0 0 ${number(page.width)} ${number(page.height)}] /Resources << /Font << /F1 ${type0} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
    add(`<< /Type /Pages /Kids [${pageNumbers.map((page) => `${page} 0 R`).join(' ')}] /Count ${pageNumbers.length} >>`);
    const catalog = add(`<< /Type /Catalog /Pages ${pagesNumber} 0 R /Lang (${this.info.language}) >>`);
    const info = add(`<< /Title ${textString(this.info.title)} /Author ${textString(this.info.author)} /Producer (reklamacje) >>`);

    // The comment's bytes above 127 tell transfer tools the file is binary (7.5.2).
    const parts: Uint8Array[] = [text('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
    let length = parts[0]!.length;
    const offsets: number[] = [];
    objects.forEach((object, i) => {
      offsets.push(length);
      for (const part of [`${i + 1} 0 obj\n`, ...object, '\nendobj\n']) {
        const bytes = typeof part === 'string' ? text(part) : part;
        parts.push(bytes);
        length += bytes.length;
      }
    });
    // Each entry is exactly 20 bytes: ten digits of offset, five of generation, the type, and an end of line (7.5.4).
    const xref = [
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
      ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`),
    ];
    parts.push(
      text(`${xref.join('')}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${length}\n%%EOF\n`),
    );
    return concat(parts);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Glyph ids back to Unicode text, in blocks of at most 100 entries as the CMap format allows (9.10.3). */
function toUnicodeCMap(used: ReadonlyMap<number, string>): string {
  const entries = [...used].filter(([glyph, characters]) => glyph !== 0 && characters !== '');
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    blocks.push(
      `${block.length} beginbfchar\n${block.map(([glyph, characters]) => `<${hex4(glyph)}> <${utf16(characters)}>`).join('\n')}\nendbfchar`,
    );
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { dejavuSerifPacked, dejavuSerifSubstitutions } from '../../lambdas/adapters/fonts/dejavu-serif';
import { unpackFont } from '../../lambdas/adapters/pdf/font-pack';
import { PdfDocument, PdfFont } from '../../lambdas/adapters/pdf/pdf-document';
import { readTrueType } from '../../lambdas/adapters/pdf/true-type';
import { letterFont } from '../../scripts/embed-font';

// The letter's PDF writer (lambdas/adapters/pdf/): what a viewer needs to open the file without repairing it,
// and to give the text back as it was written.

const serif = () => new PdfFont(unpackFont(Buffer.from(dejavuSerifPacked(), 'base64')), 'DejaVuSerif', dejavuSerifSubstitutions);
const ink = [0, 0, 0] as const;

/** Text as an extractor reads it: each Tj's glyph ids through the file's ToUnicode CMap. */
function extractedText(pdf: Uint8Array): string[] {
  const raw = Buffer.from(pdf).toString('latin1');
  const streams = [...raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((match) => {
    try {
      return inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      return '';
    }
  });
  const unicode = new Map<string, string>();
  for (const [, glyph, hex] of streams.join('\n').matchAll(/^<([0-9A-F]{4})> <([0-9A-F]+)>$/gm)) {
    unicode.set(glyph!, String.fromCharCode(...hex!.match(/.{4}/g)!.map((unit) => parseInt(unit, 16))));
  }
  const lines: string[] = [];
  for (const stream of streams)
    for (const [, hex] of stream.matchAll(/<([0-9A-F]*)> Tj/g))
      lines.push(
        hex!
          .match(/.{4}/g)!
          .map((glyph) => unicode.get(glyph) ?? '')
          .join(''),
      );
  return lines;
}

describe('the PDF writer', () => {
  it('gives Polish text back through its ToUnicode map, ligatures included', () => {
    const document = new PdfDocument({ title: 'Zażółć', author: 'Bank', language: 'pl-PL' }, serif());
    document.addPage(595.28, 841.89).drawText('Zażółć gęślą jaźń, ŻÓŁW; official fluff', { x: 56, y: 700, size: 12, color: ink });
    expect(extractedText(document.save())).toEqual(['Zażółć gęślą jaźń, ŻÓŁW; official fluff']);
  });

  it('writes a cross-reference table whose every offset starts its object, and pdf-lib loads the pages and title', async () => {
    const document = new PdfDocument({ title: 'Odpowiedź na reklamację', author: 'Bank Przykładowy', language: 'pl-PL' }, serif());
    for (let page = 0; page < 3; page += 1)
      document.addPage(595.28, 841.89).drawText(`strona ${page + 1}`, { x: 56, y: 700, size: 10.5, color: ink });
    const pdf = document.save();
    const raw = Buffer.from(pdf).toString('latin1');
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(raw)![1]);
    expect(raw.slice(startxref, startxref + 5)).toBe('xref\n');
    const entries = [...raw.slice(startxref).matchAll(/^(\d{10}) 00000 n \n/gm)].map((match) => Number(match[1]));
    expect(entries.length).toBeGreaterThan(8);
    entries.forEach((offset, i) => expect(raw.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    const loaded = await PDFDocument.load(pdf, { throwOnInvalidObject: true });
    expect(loaded.getPageCount()).toBe(3);
    expect(loaded.getTitle()).toBe('Odpowiedź na reklamację');
    expect(extractedText(pdf)).toEqual(['strona 1', 'strona 2', 'strona 3']);
  });

  it('measures text with the advance widths the file declares (what wrapping and right alignment rely on)', () => {
    const font = serif();
    const width = font.widthOfTextAtSize('Łódź', 10);
    expect(width).toBeCloseTo(font.glyphs('Łódź').reduce((sum, { glyph }) => sum + font.advance(glyph), 0) / 100, 6);
    expect(width).toBeGreaterThan(15);
  });

  it('unpacks the embedded font to the subset TrueType file glyph for glyph', async () => {
    const file = readTrueType(await letterFont());
    const unpacked = unpackFont(Buffer.from(dejavuSerifPacked(), 'base64'));
    expect(unpacked.advances).toEqual(file.advances);
    expect(unpacked.leftBearings).toEqual(file.leftBearings);
    unpacked.glyphs.forEach((outline, glyph) => expect(Buffer.from(file.glyphs[glyph]!.subarray(0, outline.length))).toEqual(Buffer.from(outline)));
  }, 30_000);
});

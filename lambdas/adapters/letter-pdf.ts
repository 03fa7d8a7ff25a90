import type { Block, Letter } from '../core/templates';
import { dejavuSerifPacked, dejavuSerifSubstitutions } from './fonts/dejavu-serif';
import { unpackFont } from './pdf/font-pack';
import { PdfDocument, PdfFont, type PdfPage } from './pdf/pdf-document';

// The printed answer (art. 5(2) of the act of 5 August 2015: paper unless the customer asked for e-mail):
// the same blocks as the e-mail, laid out on A4. The 14 standard PDF fonts only know WinAnsi, which has no
// ą, ę, ł, ś, ź, ż, ć, ń, so DejaVu Serif is embedded (subset to the glyphs used: a letter is ~20 KB). The PDF is
// written by lambdas/adapters/pdf/ (pdf-lib and fontkit were 1.4 MB of this function's bundle).

export interface Letterhead {
  companyName: string;
  addressLines: readonly string[];
}

export interface PrintedLetter {
  letter: Letter;
  letterhead: Letterhead;
  /** The addressee's name; the postal address is written by staff on the envelope from the complaint. */
  recipientName: string;
  /** Place and date line, e.g. "Warszawa, 30 listopada 2026". */
  dateLine: string;
}

const A4 = { width: 595.28, height: 841.89 } as const;
const MARGIN = 56;
const BODY = { size: 10.5, leading: 15 } as const;
const INK = [0.09, 0.09, 0.11] as const;

// Unpacked on the first letter a function instance prints (~20 ms), not at its cold start.
let serif: PdfFont['program'] | undefined;
const font = () => new PdfFont((serif ??= unpackFont(Buffer.from(dejavuSerifPacked(), 'base64'))), 'DejaVuSerif', dejavuSerifSubstitutions);

/** Lays the letter out on as many A4 pages as it needs and returns the PDF file. */
export async function printLetter({ letter, letterhead, recipientName, dateLine }: PrintedLetter): Promise<Uint8Array> {
  const document = new PdfDocument(
    { title: letter.subject, author: letterhead.companyName, language: letter.language === 'pl' ? 'pl-PL' : 'en-GB' },
    font(),
  );
  const writer = new PageWriter(document);

  writer.line(letterhead.companyName, { size: 14 });
  for (const line of letterhead.addressLines) writer.line(line, { size: 9.5 });
  writer.gap(18);
  writer.line(dateLine, { align: 'right' });
  writer.gap(12);
  writer.line(recipientName);
  writer.gap(18);
  writer.paragraph(letter.subject, { size: 12 });
  writer.gap(6);
  writer.paragraph(letter.greeting);
  for (const block of letter.blocks) writeBlock(writer, block);
  writer.gap(6);
  for (const line of letter.signOff) writer.line(line);
  return Promise.resolve(document.save());
}

function writeBlock(writer: PageWriter, block: Block): void {
  switch (block.kind) {
    case 'paragraph':
      writer.paragraph(block.text);
      return;
    case 'heading':
      writer.gap(4);
      writer.paragraph(block.text, { size: 11.5 });
      return;
    case 'facts':
      for (const [label, value] of block.rows) writer.paragraph(`${label}: ${value}`, { indent: 0 });
      writer.gap(4);
      return;
    case 'list':
      for (const item of block.items) writer.paragraph(`–  ${item}`, { indent: 12 });
      writer.gap(4);
      return;
    case 'link':
      // Paper cannot be clicked: the address is printed after the words, as in the e-mail's text part.
      writer.paragraph(`${block.text}: ${block.href}`);
  }
}

class PageWriter {
  private page: PdfPage;
  private y: number;
  private readonly font: PdfFont;

  constructor(private readonly document: PdfDocument) {
    this.font = document.font;
    this.page = document.addPage(A4.width, A4.height);
    this.y = A4.height - MARGIN;
  }

  gap(points: number): void {
    this.y -= points;
  }

  line(text: string, options: { size?: number; align?: 'left' | 'right' } = {}): void {
    const size = options.size ?? BODY.size;
    this.room(size * 1.45);
    const width = this.font.widthOfTextAtSize(text, size);
    const x = options.align === 'right' ? A4.width - MARGIN - width : MARGIN;
    this.page.drawText(text, { x, y: this.y - size, size, color: INK });
    this.y -= size * 1.45;
  }

  /** Wraps the text to the page width, keeping the line breaks a person typed. */
  paragraph(text: string, options: { size?: number; indent?: number } = {}): void {
    const size = options.size ?? BODY.size;
    const indent = options.indent ?? 0;
    const width = A4.width - 2 * MARGIN - indent;
    for (const typed of text.split(/\r\n|\r|\n/)) {
      for (const line of this.wrap(typed, size, width)) {
        this.room(size * 1.45);
        this.page.drawText(line, { x: MARGIN + indent, y: this.y - size, size, color: INK });
        this.y -= size * 1.45;
      }
    }
    this.y -= BODY.leading * 0.4;
  }

  private wrap(text: string, size: number, width: number): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = current ? `${current} ${word}` : word;
      if (this.font.widthOfTextAtSize(candidate, size) <= width || !current) current = candidate;
      else {
        lines.push(current);
        current = word;
      }
    }
    return current ? [...lines, current] : [''];
  }

  private room(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.document.addPage(A4.width, A4.height);
    this.y = A4.height - MARGIN;
  }
}

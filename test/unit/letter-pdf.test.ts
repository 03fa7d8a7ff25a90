import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { printLetter } from '../../lambdas/adapters/letter-pdf';
import { decisionLetter } from '../../lambdas/core/templates';
import { fontModule, FONT_MODULE } from '../../scripts/embed-font';

// Art. 5(2) of the act of 5 August 2015: a financial answer goes on paper unless the customer asked for
// e-mail, so the product prints it. Polish letters need an embedded font: the standard PDF fonts lack them.

const letter = decisionLetter({
  language: 'pl',
  companyName: 'Bank Przykładowy S.A.',
  reference: 'RK-7XK4M-9QPZT',
  customerName: 'Żaneta Łęcka-Źródłowska',
  outcome: 'partly_accepted',
  remedy: 'refund',
  paymentDueBy: '2026-12-20',
  justification: 'Zażółć gęślą jaźń. '.repeat(400),
  adrStatement: 'Wyrażamy zgodę na pozasądowe rozwiązanie sporu przed Arbitrem Bankowym.',
  appealRoutes: ['Wniosek o rozpatrzenie sprawy przez Rzecznika Finansowego', 'Powództwo do sądu powszechnego'],
  signerName: 'Jan Nowak',
  signerPosition: 'Kierownik Zespołu Reklamacji',
  responseDueBy: '2026-12-28',
});

/** The text shown in the PDF's content streams is hex glyph ids; the ToUnicode maps say which letters they are. */
function unicodeMapped(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf).toString('latin1');
  let mapped = '';
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
    try {
      const text = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
      for (const [, hex] of text.matchAll(/<[0-9A-F]{4}> <([0-9A-F]{4,})>/g)) mapped += String.fromCharCode(parseInt(hex!, 16));
    } catch {
      // not a deflated stream (the font program itself is compressed too; anything unreadable is skipped)
    }
  }
  return mapped;
}

describe('the printed decision letter', () => {
  it('art. 5(2) of the act of 5 August 2015: renders a long Polish answer on A4 pages with every Polish letter mapped', async () => {
    const pdf = await printLetter({
      letter,
      letterhead: { companyName: 'Bank Przykładowy S.A.', addressLines: ['ul. Przykładowa 1', '00-001 Warszawa'] },
      recipientName: 'Żaneta Łęcka-Źródłowska',
      dateLine: '30 listopada 2026',
    });
    expect(Buffer.from(pdf.slice(0, 5)).toString()).toBe('%PDF-');
    const document = await PDFDocument.load(pdf);
    expect(document.getPageCount()).toBeGreaterThan(1);
    expect(document.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    expect(document.getTitle()).toBe('Odpowiedź na reklamację RK-7XK4M-9QPZT');
    const letters = unicodeMapped(pdf);
    for (const character of 'ąćęłńóśźżŁŹŻ') expect(letters).toContain(character);
    // Subset to the glyphs used: a multi-page letter stays small.
    expect(pdf.length).toBeLessThan(80_000);
  }, 30_000); // pdf-lib lays out and subsets a dozen pages: ~3 s, more on a busy machine

  it('prints a name its customer wrote in Cyrillic, which the embedded subset keeps', async () => {
    const pdf = await printLetter({
      letter,
      letterhead: { companyName: 'Bank Przykładowy S.A.', addressLines: ['ul. Przykładowa 1', '00-001 Warszawa'] },
      recipientName: 'Олена Шевченко',
      dateLine: '30 listopada 2026',
    });
    const letters = unicodeMapped(pdf);
    for (const character of 'ОленаШвчко') expect(letters).toContain(character);
  }, 30_000);

  it('embeds the font the dejavu-fonts-ttf package ships, subset (run `npx tsx scripts/embed-font.ts` after upgrading it)', async () => {
    expect(readFileSync(FONT_MODULE, 'utf8') === (await fontModule())).toBe(true);
  }, 30_000);
});

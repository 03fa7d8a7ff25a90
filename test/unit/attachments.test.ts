import { detectAttachmentType } from '../../lambdas/core/attachments';
import { checkAttachments, type UploadedFile } from '../../lambdas/use-cases/attachments';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)));
/** An ISO BMFF `ftyp` box: size, 'ftyp', major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible);

describe('the type a file’s first bytes show', () => {
  it.each([
    ['a JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image/jpeg'],
    ['a JPEG (Exif, as phones write it)', bytes([0xff, 0xd8, 0xff, 0xe1], 'Exif'), 'image/jpeg'],
    ['a PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR'), 'image/png'],
    ['a WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['a HEIC from an iPhone (major brand heic)', ftyp('heic', 'mif1', 'heic'), 'image/heic'],
    ['a HEIF image under the generic brand with heic compatible', ftyp('mif1', 'mif1', 'heic'), 'image/heic'],
    ['a PDF', bytes('%PDF-1.7\n'), 'application/pdf'],
    ['an AVIF (mif1 without an HEVC brand)', ftyp('mif1', 'mif1', 'avif'), undefined],
    ['an MP4 video', ftyp('isom', 'isom', 'mp41'), undefined],
    ['a RIFF that is not WebP (a WAV)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), undefined],
    ['a GIF', bytes('GIF89a'), undefined],
    ['HTML', bytes('<!doctype html>'), undefined],
    ['a PDF marker further in (not at the start)', bytes(' %PDF-1.7'), undefined],
    ['nothing', bytes(), undefined],
  ])('%s: %s', (_name, head, type) => {
    expect(detectAttachmentType(head)).toBe(type);
  });
});

describe('checking a submission’s attachments', () => {
  const jpeg: UploadedFile = { contentType: 'image/jpeg', size: 2000, name: 'a.jpg', head: bytes([0xff, 0xd8, 0xff, 0xe0]) };
  function ports(files: Record<string, UploadedFile>, verdict: 'clean' | 'infected' | 'not_scanned' = 'not_scanned') {
    const kept: string[] = [];
    return {
      kept,
      attachments: { inspect: async (id: string) => files[id], keep: async (id: string) => (kept.push(id), `attachments/${id}`) },
      scanner: { scan: async () => verdict },
    };
  }

  it('keeps each file once, in the order named, with the scanner’s verdict stated as it is', async () => {
    const p = ports({ a: jpeg, b: { ...jpeg, name: 'b.jpg' } });
    const checked = await checkAttachments(['a', 'b', 'a'], p);
    expect(checked.map((file) => [file.id, file.key, file.scan])).toEqual([
      ['a', 'attachments/a', 'not_scanned'],
      ['b', 'attachments/b', 'not_scanned'],
    ]);
    expect(p.kept).toEqual(['a', 'b']);
  });

  it('refuses the whole submission, naming every bad file, and keeps none of them', async () => {
    const p = ports({
      good: jpeg,
      big: { ...jpeg, size: 10 * 1024 * 1024 + 1 },
      fake: { ...jpeg, contentType: 'application/pdf' },
      other: { ...jpeg, contentType: 'text/html' },
    });
    await expect(checkAttachments(['good', 'missing', 'big', 'fake', 'other'], p)).rejects.toMatchObject({
      status: 422,
      issues: [
        { field: 'attachments.1', message: 'was not uploaded, or its upload expired: attach the file again' },
        { field: 'attachments.2', message: 'is larger than 10 MB' },
        { field: 'attachments.3', message: 'is not a PDF file, as it was declared (its content does not match)' },
        { field: 'attachments.4', message: 'is not a photo (JPEG, PNG, WebP, HEIC) or a PDF' },
      ],
    });
    expect(p.kept).toEqual([]);
  });

  it('refuses a file the scanner finds infected, and records a clean verdict as clean', async () => {
    await expect(checkAttachments(['a'], ports({ a: jpeg }, 'infected'))).rejects.toMatchObject({
      issues: [{ field: 'attachments.0', message: 'was refused by the malware scan' }],
    });
    expect((await checkAttachments(['a'], ports({ a: jpeg }, 'clean')))[0]!.scan).toBe('clean');
  });
});

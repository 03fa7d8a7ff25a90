import { detectAttachmentType, KEPT_PREFIX, keptKey, quarantineKey } from '../../lambdas/core/attachments';
import { IdempotencyKeyReused, TooManyAttempts, ValidationFailed } from '../../lambdas/core/errors';
import { loadPolicyRegistry } from '../../lambdas/core/policy-config';
import { checkAttachments, keepAttachments, type AttachmentStore, type UploadedFile } from '../../lambdas/use-cases/attachments';
import { filePublicComplaint, type PublicIntakePorts } from '../../lambdas/use-cases/file-public-complaint';
import { inMemoryComplaints } from '../support/in-memory-complaints';
import { validComplaint } from '../support/local-product';

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
  const jpeg: UploadedFile = { contentType: 'image/jpeg', size: 2000, name: 'a.jpg', head: bytes([0xff, 0xd8, 0xff, 0xe0]), etag: '"1"' };
  function ports(files: Record<string, UploadedFile>, verdict: 'clean' | 'infected' | 'not_scanned' = 'not_scanned') {
    const kept: string[] = [];
    return {
      kept,
      attachments: {
        inspect: async (id: string) => files[id],
        keep: async (id: string, _etag: string, folder: string) => (kept.push(id), `attachments/${folder}/${id}`),
        discard: async () => undefined,
      },
      scanner: { scan: async () => verdict },
    };
  }

  it('checks each file once, in the order named, with the scanner’s verdict stated as it is, and keeps none yet', async () => {
    const p = ports({ a: jpeg, b: { ...jpeg, name: 'b.jpg', etag: '"2"' } });
    const checked = await checkAttachments(['a', 'b', 'a'], p);
    expect(checked.map(({ file, etag, field }) => [file.id, file.scan, etag, field])).toEqual([
      ['a', 'not_scanned', '"1"', 'attachments.0'],
      ['b', 'not_scanned', '"2"', 'attachments.1'],
    ]);
    expect(p.kept).toEqual([]);
    expect((await keepAttachments(checked, 'complaint-1', p)).map((file) => file.key)).toEqual([
      'attachments/complaint-1/a',
      'attachments/complaint-1/b',
    ]);
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
    expect((await checkAttachments(['a'], ports({ a: jpeg }, 'clean')))[0]!.file.scan).toBe('clean');
  });
});

/**
 * The bucket in memory, with S3's promises that matter here: an upload replaces its slot's object (a new ETag),
 * a copy is made only while the source has the ETag given, a deleted key is gone.
 */
function inMemoryBucket() {
  const objects = new Map<string, { bytes: Uint8Array; type: string; name: string; etag: string }>();
  let version = 0;
  const upload = (id: string, bytes: Uint8Array, type = 'image/jpeg') =>
    objects.set(quarantineKey(id), { bytes, type, name: `${id}.jpg`, etag: `"${(version += 1)}"` });
  const store: Pick<AttachmentStore, 'inspect' | 'keep' | 'discard'> = {
    async inspect(id) {
      const object = objects.get(quarantineKey(id));
      return (
        object && { contentType: object.type, size: object.bytes.length, name: object.name, head: object.bytes.subarray(0, 64), etag: object.etag }
      );
    },
    async keep(id, etag, folder) {
      const source = objects.get(quarantineKey(id));
      if (!source || source.etag !== etag) return undefined;
      objects.set(keptKey(folder, id), { ...source });
      return keptKey(folder, id);
    },
    async discard(keys) {
      for (const key of keys) objects.delete(key);
    },
  };
  const kept = () => new Map([...objects].filter(([key]) => key.startsWith(KEPT_PREFIX)).map(([key, object]) => [key, object.bytes]));
  return { upload, store, kept };
}

describe('filing a complaint with attachments', () => {
  const photoA = bytes([0xff, 0xd8, 0xff, 0xe0], 'photo A');
  const photoB = bytes([0xff, 0xd8, 0xff, 0xe0], 'photo B, larger');
  const slot = '11111111-1111-4111-8111-111111111111';
  const today = '2026-11-30T12:00:00Z';

  function world(options: { intakeLimitPerClient?: number; onScan?: () => void } = {}) {
    const { repository, attempts } = inMemoryComplaints();
    const bucket = inMemoryBucket();
    let counter = 0;
    const ports: PublicIntakePorts = {
      complaints: repository,
      policies: loadPolicyRegistry('consumer'),
      now: () => new Date(today),
      newId: () => `00000000-0000-4000-8000-${String((counter += 1)).padStart(12, '0')}`,
      newReference: () => `RK-TEST0-${String(counter).padStart(5, '0')}`,
      attempts,
      intakeLimitPerClient: options.intakeLimitPerClient ?? 100,
      attachments: bucket.store,
      scanner: {
        async scan() {
          options.onScan?.();
          return 'not_scanned';
        },
      },
    };
    const file = (body: object, key?: string) => filePublicComplaint({ ...validComplaint, attachments: [slot], ...body }, key, '203.0.113.5', ports);
    return { bucket, repository, file };
  }

  it.each([
    ['a purchase date in the future', { purchaseDate: '2099-01-01' }, undefined, ValidationFailed],
    ['an Idempotency-Key of 300 characters', {}, 'k'.repeat(300), ValidationFailed],
  ])('refused for %s (422), keeps nothing under attachments/', async (_case, body, key, error) => {
    const { bucket, file } = world();
    bucket.upload(slot, photoA);
    await expect(file(body, key)).rejects.toBeInstanceOf(error);
    expect(bucket.kept().size).toBe(0);
  });

  it('refused because its Idempotency-Key was used for another complaint (422), deletes the copies it made', async () => {
    const { bucket, file } = world();
    bucket.upload(slot, photoA);
    await file({ attachments: [] }, 'key-1');
    await expect(file({}, 'key-1')).rejects.toBeInstanceOf(IdempotencyKeyReused);
    expect(bucket.kept().size).toBe(0);
  });

  it('refused by the per-client limit in the transaction (429), deletes the copies it made', async () => {
    const { bucket, file } = world({ intakeLimitPerClient: 1 });
    await file({ attachments: [] });
    bucket.upload(slot, photoA);
    await expect(file({})).rejects.toBeInstanceOf(TooManyAttempts);
    expect(bucket.kept().size).toBe(0);
  });

  it('replayed under its Idempotency-Key, leaves the first filing’s copy only', async () => {
    const { bucket, file } = world();
    bucket.upload(slot, photoA);
    const first = await file({}, 'key-2');
    const again = await file({}, 'key-2');
    expect(again).toMatchObject({ replayed: true, receipt: { id: (first as { receipt: { id: string } }).receipt.id } });
    expect([...bucket.kept().keys()]).toEqual([`attachments/${(first as { receipt: { id: string } }).receipt.id}/${slot}`]);
  });

  it('naming a slot another complaint has filed is refused (422 naming attachments.0) and changes nothing: the first complaint keeps its file', async () => {
    const { bucket, file, repository } = world();
    bucket.upload(slot, photoA);
    const first = (await file({})) as { receipt: { id: string } };
    bucket.upload(slot, photoB); // the slot's POST is still good for 15 minutes
    const second = file({});
    await expect(second).rejects.toMatchObject({
      status: 422,
      issues: [{ field: 'attachments.0', message: 'is already filed with a complaint: a file belongs to one complaint only, so upload it again' }],
    });
    expect(bucket.kept()).toEqual(new Map([[`attachments/${first.receipt.id}/${slot}`, photoA]]));
    expect((await repository.get(first.receipt.id))!.attachments).toEqual([
      expect.objectContaining({ id: slot, size: photoA.length, key: `attachments/${first.receipt.id}/${slot}` }),
    ]);
  });

  it('a file uploaded again between its check and its copy is not kept under the earlier verdict (422), and nothing is filed', async () => {
    const { bucket, file } = world({ onScan: () => bucket.upload(slot, photoB) });
    bucket.upload(slot, photoA);
    await expect(file({})).rejects.toMatchObject({
      status: 422,
      issues: [{ field: 'attachments.0', message: 'was replaced or removed after it was checked: attach the file again' }],
    });
    expect(bucket.kept().size).toBe(0);
  });

  it('when one of several files cannot be kept, the copies of the others are deleted', async () => {
    const other = '22222222-2222-4222-8222-222222222222';
    const { bucket } = world();
    bucket.upload(slot, photoA);
    bucket.upload(other, photoA);
    const checked = await checkAttachments([slot, other], { attachments: bucket.store, scanner: { scan: async () => 'not_scanned' } });
    bucket.upload(other, photoB);
    await expect(keepAttachments(checked, 'complaint-1', { attachments: bucket.store })).rejects.toMatchObject({
      issues: [{ field: 'attachments.1' }],
    });
    expect(bucket.kept().size).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Runtime } from '../../local/runtime';
import { ATTACHMENTS_BUCKET, NodeSha256 } from '../../local/s3';
import { s3AttachmentStore } from '../../lambdas/adapters/attachment-store';
import { s3Location } from '../../lambdas/adapters/s3-signing';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { adminApi } from '../../cli/admin-api';
import { commands } from '../../cli/commands';
import { postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';
import { fetchFrom } from '../support/client-fetch';

// Attachments end to end against the local product (issue 12): upload slots, presigned POSTs to the S3 stand-in,
// the checks at intake, the kept files, and the staff's short-lived links. The stand-in's front refuses what S3
// refuses (the POST policy's conditions, unsigned or wrongly signed requests), so that nothing passes here that
// would fail in AWS.

let runtime: Runtime;

beforeAll(async () => {
  runtime = await startLocalProduct({ log: () => undefined });
});
afterAll(async () => {
  await runtime.stop();
});

/** A JPEG's first bytes (SOI, APP0/JFIF) and some filler: enough for the magic-byte check. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(500, 7)]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

interface Slot {
  id: string;
  name: string;
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

async function slots(files: { name: string; type: string; size: number }[], client = '127.0.0.77') {
  return fetchFrom(client)(`${runtime.urls.api}/complaints/attachments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files }),
  });
}

async function slotFor(name: string, type: string, size: number): Promise<Slot> {
  const response = await slots([{ name, type, size }]);
  expect(response.status).toBe(201);
  return ((await response.json()) as { slots: Slot[] }).slots[0]!;
}

/** What the page does: the slot's fields in order, then the file, as multipart/form-data. */
function upload(slot: Slot, bytes: Buffer, type: string, fields: Record<string, string> = slot.fields) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type }), slot.name);
  return fetch(slot.url, { method: 'POST', body: form, headers: { origin: runtime.urls.api } });
}

async function staffGet(path: string) {
  const url = new URL(path, runtime.urls.api);
  const headers = await signedHeaders(
    { method: 'GET', url, headers: {} },
    { credentials: demoCredentials('marek.supervisor'), region: 'eu-central-1' },
  );
  return fetch(url, { headers });
}

/** Every key under attachments/ (ListObjectsV2, signed by the SDK's own signer): what the bucket keeps. */
async function keptKeys(): Promise<string[]> {
  const url = new URL(`${runtime.urls.s3}/${ATTACHMENTS_BUCKET}`);
  const query = { 'list-type': '2', prefix: 'attachments/' };
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    region: 'eu-central-1',
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  });
  const answer = await fetch(`${url}?${new URLSearchParams(query)}`, { headers: signed.headers });
  expect(answer.status).toBe(200);
  return [...(await answer.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1]!);
}

async function complaintCount(): Promise<number> {
  return (await storedItems(runtime)).filter((item) => item.SK?.S === 'COMPLAINT').length;
}

describe('attachments', () => {
  it('a photo and a PDF uploaded through slots are checked, kept under attachments/ and linked to the complaint; staff download them by short-lived links', async () => {
    const photo = await slotFor('zdjęcie czajnika.jpg', 'image/jpeg', JPEG.length);
    const receipt = await slotFor('paragon.pdf', 'application/pdf', PDF.length);
    expect(photo.url).toBe(`${runtime.urls.s3}/reklamacje-attachments`);
    expect(photo.fields.key).toBe(`quarantine/${photo.id}`);
    expect(new Date(photo.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    const uploaded = await upload(photo, JPEG, 'image/jpeg');
    expect(uploaded.status).toBe(204);
    expect(uploaded.headers.get('access-control-allow-origin')).toBeTruthy();
    expect((await upload(receipt, PDF, 'application/pdf')).status).toBe(204);

    const filed = await postComplaint(runtime, { ...validComplaint, attachments: [photo.id, receipt.id] });
    expect(filed.status).toBe(201);
    const { id } = (await filed.json()) as { id: string };

    const complaint = (await (await staffGet(`/admin/complaints/${id}`)).json()) as { attachments: unknown[] };
    expect(complaint.attachments).toEqual([
      {
        id: photo.id,
        name: 'zdjęcie czajnika.jpg',
        type: 'image/jpeg',
        size: JPEG.length,
        key: `attachments/${id}/${photo.id}`,
        scan: 'not_scanned',
      },
      { id: receipt.id, name: 'paragon.pdf', type: 'application/pdf', size: PDF.length, key: `attachments/${id}/${receipt.id}`, scan: 'not_scanned' },
    ]);

    const linkAnswer = await staffGet(`/admin/complaints/${id}/attachments/${photo.id}`);
    expect(linkAnswer.status).toBe(200);
    const link = (await linkAnswer.json()) as { url: string; expiresAt: string; scan: string };
    expect(link.scan).toBe('not_scanned');
    expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe('300');
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(JPEG);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('zdjęcie czajnika.jpg')}`);

    // The command line lists the same, with a fresh link each.
    const cli = commands.find((command) => command.name === 'attachments')!;
    const api = adminApi({ baseUrl: runtime.urls.api, region: 'eu-central-1', credentials: demoCredentials('marek.supervisor') });
    const listed = await cli.run({ values: {}, positionals: [id], api });
    expect(listed.text).toContain('zdjęcie czajnika.jpg  (image/jpeg, 1 KB, not scanned)');
    expect(listed.text).toContain('paragon.pdf  (application/pdf, 1 KB, not scanned)');
    const cliLink = (listed.json as { url: string }[])[1]!.url;
    expect(Buffer.from(await (await fetch(cliLink)).arrayBuffer())).toEqual(PDF);

    // The link is signed: any change to it, or no signature at all, is refused, as S3 refuses it.
    const tampered = new URL(link.url);
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(`${runtime.urls.s3}/reklamacje-attachments/attachments/${id}/${photo.id}`)).status).toBe(403);
    // Staff get links to kept files only, of a complaint they may read.
    expect((await staffGet(`/admin/complaints/${id}/attachments/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await staffGet(`/admin/complaints/${id}/attachments/not-an-id`)).status).toBe(404);
  });

  it('a file whose content is not of its declared type is refused with a 422 naming it, and nothing is filed', async () => {
    const slot = await slotFor('photo.png', 'image/png', JPEG.length);
    expect((await upload(slot, JPEG, 'image/png')).status).toBe(204);
    const before = await complaintCount();
    const answer = await postComplaint(runtime, { ...validComplaint, attachments: [slot.id] });
    expect(answer.status).toBe(422);
    const problem = (await answer.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toEqual([{ field: 'attachments.0', message: 'is not a PNG file, as it was declared (its content does not match)' }]);
    expect(await complaintCount()).toBe(before);
  });

  it('an id that was never uploaded is refused (422), and so is one that is not an id', async () => {
    const slot = await slotFor('never.jpg', 'image/jpeg', 100);
    const never = await postComplaint(runtime, { ...validComplaint, attachments: [slot.id] });
    expect(never.status).toBe(422);
    expect(((await never.json()) as { errors: { field: string; message: string }[] }).errors[0]).toEqual({
      field: 'attachments.0',
      message: 'was not uploaded, or its upload expired: attach the file again',
    });
    const junk = await postComplaint(runtime, { ...validComplaint, attachments: ['../../etc/passwd'] });
    expect(junk.status).toBe(422);
  });

  it("an upload after its slot's 15 minutes is refused as S3 refuses it (403, policy expired), and the complaint naming it gets a 422", async () => {
    // A slot signed 16 minutes ago by the same store the intake uses, with the stand-in's credentials.
    const store = s3AttachmentStore(
      s3Location(ATTACHMENTS_BUCKET, 'eu-central-1', runtime.urls.s3),
      () => ({ accessKeyId: 'local', secretAccessKey: 'local' }),
      () => new Date(Date.now() - 16 * 60 * 1000),
    );
    const slot = store.uploadSlot({ id: randomUUID(), name: 'late.jpg', type: 'image/jpeg', size: JPEG.length });
    const late = await upload(slot, JPEG, 'image/jpeg');
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('Policy expired');
    const filed = await postComplaint(runtime, { ...validComplaint, attachments: [slot.id] });
    expect(filed.status).toBe(422);
    expect(((await filed.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe(
      'was not uploaded, or its upload expired: attach the file again',
    );
  });

  it('slots are refused (422) for more than 10 files, another type, a file over 10 MB or a name with a path', async () => {
    const file = { name: 'a.jpg', type: 'image/jpeg', size: 1000 };
    const cases = [
      [Array.from({ length: 11 }, () => file), 'files'],
      [[{ ...file, type: 'image/gif' }], 'files.0.type'],
      [[{ ...file, size: 10 * 1024 * 1024 + 1 }], 'files.0.size'],
      [[{ ...file, size: 0 }], 'files.0.size'],
      [[{ ...file, name: '../a.jpg' }], 'files.0.name'],
    ] as const;
    for (const [files, field] of cases) {
      const answer = await slots([...files]);
      expect(answer.status).toBe(422);
      expect(((await answer.json()) as { errors: { field: string }[] }).errors.map((error) => error.field)).toContain(field);
    }
  });

  describe('a refused submission keeps nothing; a kept file belongs to one complaint', () => {
    const keptFor = async (slotId: string) => (await keptKeys()).filter((key) => key.endsWith(`/${slotId}`));

    it.each([
      ['its purchase date is in the future', { purchaseDate: '2099-01-01' }, {}, 'validation'],
      ['its Idempotency-Key is 300 characters long', {}, { 'idempotency-key': 'k'.repeat(300) }, 'validation'],
    ])('when %s (422), nothing of its file is kept under attachments/', async (_case, body, headers, type) => {
      const slot = await slotFor('czajnik.jpg', 'image/jpeg', JPEG.length);
      expect((await upload(slot, JPEG, 'image/jpeg')).status).toBe(204);
      const answer = await postComplaint(runtime, { ...validComplaint, ...body, attachments: [slot.id] }, headers);
      expect(answer.status).toBe(422);
      expect(((await answer.json()) as { type: string }).type).toContain(type);
      expect(await keptFor(slot.id)).toEqual([]);
    });

    it('when its Idempotency-Key was used for another complaint (422 idempotency-key-reused), its copy is deleted', async () => {
      const key = `reused-${randomUUID()}`;
      expect((await postComplaint(runtime, validComplaint, { 'idempotency-key': key })).status).toBe(201);
      const slot = await slotFor('czajnik.jpg', 'image/jpeg', JPEG.length);
      expect((await upload(slot, JPEG, 'image/jpeg')).status).toBe(204);
      const answer = await postComplaint(runtime, { ...validComplaint, attachments: [slot.id] }, { 'idempotency-key': key });
      expect(answer.status).toBe(422);
      expect(((await answer.json()) as { type: string }).type).toContain('idempotency-key-reused');
      expect(await keptFor(slot.id)).toEqual([]);
    });

    it('a slot filed with one complaint cannot be named by another (422 naming attachments.0): the first keeps its own file, and nothing else is kept', async () => {
      const slot = await slotFor('czajnik.jpg', 'image/jpeg', JPEG.length + 300);
      expect((await upload(slot, JPEG, 'image/jpeg')).status).toBe(204);
      const first = await postComplaint(runtime, { ...validComplaint, attachments: [slot.id] });
      expect(first.status).toBe(201);
      const { id } = (await first.json()) as { id: string };

      // Another file in the same slot while its POST is still good, then a second complaint naming the slot.
      const other = Buffer.concat([JPEG, Buffer.alloc(300, 9)]);
      expect((await upload(slot, other, 'image/jpeg')).status).toBe(204);
      const before = await complaintCount();
      const second = await postComplaint(runtime, { ...validComplaint, attachments: [slot.id] });
      expect(second.status).toBe(422);
      expect(second.headers.get('content-type')).toContain('application/problem+json');
      expect(((await second.json()) as { errors: unknown[] }).errors).toEqual([
        { field: 'attachments.0', message: 'is already filed with a complaint: a file belongs to one complaint only, so upload it again' },
      ]);
      expect(await complaintCount()).toBe(before);

      expect(await keptFor(slot.id)).toEqual([`attachments/${id}/${slot.id}`]);
      const link = (await (await staffGet(`/admin/complaints/${id}/attachments/${slot.id}`)).json()) as { url: string; size: number };
      expect(link.size).toBe(JPEG.length);
      expect(Buffer.from(await (await fetch(link.url)).arrayBuffer())).toEqual(JPEG);
    });
  });

  describe('the S3 stand-in copies as S3 does', () => {
    // AWS CopyObject: with x-amz-copy-source-if-match, "Copies the object if its entity tag (ETag) matches the
    // specified tag", else 412 PreconditionFailed. s3rver ignores the header; the front (local/s3.ts) honours it.
    const store = () =>
      s3AttachmentStore(s3Location(ATTACHMENTS_BUCKET, 'eu-central-1', runtime.urls.s3), () => ({ accessKeyId: 'local', secretAccessKey: 'local' }));

    it('copies an upload only while it has the ETag read at inspection (else 412, nothing copied), and deletes a kept copy', async () => {
      const slot = await slotFor('a.jpg', 'image/jpeg', JPEG.length + 300);
      expect((await upload(slot, JPEG, 'image/jpeg')).status).toBe(204);
      const inspected = (await store().inspect(slot.id))!;
      expect(inspected.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect((await upload(slot, Buffer.concat([JPEG, Buffer.alloc(300, 9)]), 'image/jpeg')).status).toBe(204);
      const folder = randomUUID();
      expect(await store().keep(slot.id, inspected.etag, folder)).toBeUndefined();
      expect(await keptKeys()).not.toContain(`attachments/${folder}/${slot.id}`);

      const now = (await store().inspect(slot.id))!;
      expect(await store().keep(slot.id, now.etag, folder)).toBe(`attachments/${folder}/${slot.id}`);
      expect(await keptKeys()).toContain(`attachments/${folder}/${slot.id}`);
      await store().discard([`attachments/${folder}/${slot.id}`]);
      expect(await keptKeys()).not.toContain(`attachments/${folder}/${slot.id}`);
    });
  });

  describe('the S3 stand-in checks a presigned POST as S3 does', () => {
    it('refuses a file larger than the slot allows (EntityTooLarge) and keeps nothing', async () => {
      const slot = await slotFor('small.jpg', 'image/jpeg', 100);
      const answer = await upload(slot, JPEG, 'image/jpeg');
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain('<Code>EntityTooLarge</Code>');
      expect((await postComplaint(runtime, { ...validComplaint, attachments: [slot.id] })).status).toBe(422);
    });

    it('refuses another Content-Type than the slot pinned, another key, or a field the policy does not name (AccessDenied)', async () => {
      const slot = await slotFor('a.jpg', 'image/jpeg', JPEG.length);
      for (const fields of [
        { ...slot.fields, 'Content-Type': 'text/html' },
        { ...slot.fields, key: 'attachments/stolen' },
        { ...slot.fields, acl: 'public-read' },
      ]) {
        const answer = await upload(slot, JPEG, 'image/jpeg', fields);
        expect(answer.status).toBe(403);
        expect(await answer.text()).toContain('Invalid according to Policy');
      }
    });

    it('refuses a policy changed after signing (SignatureDoesNotMatch)', async () => {
      const slot = await slotFor('a.jpg', 'image/jpeg', JPEG.length);
      const policy = JSON.parse(Buffer.from(slot.fields.policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
      policy.conditions = policy.conditions.map((condition) =>
        Array.isArray(condition) && condition[0] === 'content-length-range' ? ['content-length-range', 1, 1e9] : condition,
      );
      const answer = await upload(slot, JPEG, 'image/jpeg', { ...slot.fields, policy: Buffer.from(JSON.stringify(policy)).toString('base64') });
      expect(answer.status).toBe(403);
      expect(await answer.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    });
  });
});

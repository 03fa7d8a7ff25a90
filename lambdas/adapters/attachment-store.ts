import { HEAD_BYTES, keptKey, quarantineKey, UPLOAD_SLOT_SECONDS } from '../core/attachments';
import type { AttachmentStore, UploadedFile } from '../use-cases/attachments';
import { presignGet, presignPost, signRequest, type AwsCredentials, type S3Location } from './s3-signing';

// The attachments bucket through signed fetch (no SDK client: adapters/s3-signing.ts). Signatures use the wall
// clock, never the product clock (which a local run may speed up): S3 refuses a signature dated more than 15
// minutes from its own clock.

/** The file's name travels percent-encoded in S3 user metadata, which must be ASCII; the policy pins it. */
const NAME_FIELD = 'x-amz-meta-filename';

export class AttachmentStorageFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachmentStorageFailed';
  }
}

export function s3AttachmentStore(
  location: S3Location,
  credentials: () => AwsCredentials,
  wallClock: () => Date = () => new Date(),
): AttachmentStore {
  return {
    uploadSlot({ id, name, type, size }) {
      const now = wallClock();
      const post = presignPost(location, credentials(), now, {
        key: quarantineKey(id),
        fields: { 'Content-Type': type, [NAME_FIELD]: encodeURIComponent(name) },
        // The upload may be smaller than declared (never empty), never larger.
        conditions: [['content-length-range', 1, size]],
        expiresInSeconds: UPLOAD_SLOT_SECONDS,
      });
      return { id, name, url: post.url, fields: post.fields, expiresAt: new Date(now.getTime() + UPLOAD_SLOT_SECONDS * 1000).toISOString() };
    },

    async inspect(id): Promise<UploadedFile | undefined> {
      const request = signRequest(location, credentials(), wallClock(), {
        method: 'GET',
        key: quarantineKey(id),
        headers: { range: `bytes=0-${HEAD_BYTES - 1}` },
      });
      const response = await fetch(request.url, { headers: request.headers });
      if (response.status === 404 || response.status === 416) {
        await response.body?.cancel();
        return undefined;
      }
      if (response.status !== 206 && response.status !== 200)
        throw new AttachmentStorageFailed(`S3 GetObject answered ${response.status}: ${await response.text()}`);
      const head = new Uint8Array(await response.arrayBuffer()).subarray(0, HEAD_BYTES);
      // A ranged answer gives the whole size after the slash of Content-Range; a whole one, its length.
      const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? response.headers.get('content-length') ?? '0';
      return {
        contentType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim(),
        size: Number(total),
        name: decodedName(response.headers.get(NAME_FIELD)) ?? id,
        head,
        etag: response.headers.get('etag') ?? '',
      };
    },

    async keep(id, etag, folder) {
      const key = keptKey(folder, id);
      const request = signRequest(location, credentials(), wallClock(), {
        method: 'PUT',
        key,
        headers: {
          'x-amz-copy-source': `/${location.bucket}/${encodeURIComponent(quarantineKey(id)).replace(/%2F/g, '/')}`,
          // S3 copies only if the source is still the upload inspected, else 412 PreconditionFailed: the check and
          // the copy are one step, so a re-upload in between is never kept under the earlier verdict.
          'x-amz-copy-source-if-match': etag,
        },
      });
      const response = await fetch(request.url, { method: 'PUT', headers: request.headers });
      const text = await response.text();
      if (response.status === 412 || (response.status === 404 && text.includes('<Code>NoSuchKey</Code>'))) return undefined;
      // CopyObject can answer 200 and still fail: the error is then in the body.
      if (response.status !== 200 || text.includes('<Error>'))
        throw new AttachmentStorageFailed(`S3 CopyObject answered ${response.status}: ${text.slice(0, 300)}`);
      return key;
    },

    async discard(keys) {
      await Promise.all(
        keys.map(async (key) => {
          const request = signRequest(location, credentials(), wallClock(), { method: 'DELETE', key });
          const response = await fetch(request.url, { method: 'DELETE', headers: request.headers });
          const text = await response.text();
          // S3 answers 204 whether or not the object was there.
          if (response.status !== 204 && response.status !== 200)
            throw new AttachmentStorageFailed(`S3 DeleteObject answered ${response.status}: ${text.slice(0, 300)}`);
        }),
      );
    },

    link(key, name, expiresInSeconds) {
      const now = wallClock();
      const url = presignGet(location, credentials(), now, key, expiresInSeconds, {
        // RFC 6266 / 8187: the name as the customer's device gave it, in UTF-8.
        'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      });
      return { url, expiresAt: new Date(now.getTime() + expiresInSeconds * 1000).toISOString() };
    },
  };
}

function decodedName(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

import * as z from './zod';

// Photos and PDFs of the defect or the receipt (issue 12, "Attachments"). The page asks for upload slots,
// uploads each file straight to the private bucket under quarantine/ with a presigned POST, and files the
// complaint with the slots' ids; intake then checks each file (its first bytes are what its type says, the
// scanning hook's verdict) and keeps it under attachments/, linked to the complaint. Pure rules here; the
// bucket is adapters/attachment-store.ts, the flow use-cases/attachments.ts.

/** What a customer may attach: photos (HEIC is what iPhones take) and PDFs (receipts, invoices). */
export const attachmentTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

/** 10 MB a file: a phone photo is 2–6 MB, a scanned receipt well under 1 MB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/**
 * 10 a complaint. Each linked file adds ~200 bytes to the complaint item (name, type, size, key, verdict), so
 * ten add ~2 KB: far from DynamoDB's 400 KB, but two more write units on each write of the item.
 */
export const MAX_ATTACHMENTS = 10;
/** A slot's presigned POST is good for 15 minutes: long enough for ten photos on a slow mobile connection. */
export const UPLOAD_SLOT_SECONDS = 15 * 60;
/** The bytes intake reads of each upload to tell its type. */
export const HEAD_BYTES = 64;

export const QUARANTINE_PREFIX = 'quarantine/';
export const KEPT_PREFIX = 'attachments/';
export const quarantineKey = (id: string) => `${QUARANTINE_PREFIX}${id}`;
/**
 * Where a checked upload is kept: in a folder of the filing's own (the complaint's id at intake; the
 * complaint's and the reply's at a customer's reply), so that no other filing can ever write over it (a slot's
 * POST stays usable for 15 minutes, and each filing makes its copy before its claim on the slot is decided),
 * and a refused filing deletes its own copies only. Complaints filed before kept theirs at `attachments/<id>`;
 * their records name that key, which is what links are made from.
 */
export const keptKey = (folder: string, id: string) => `${KEPT_PREFIX}${folder}/${id}`;

/** A slot's id: a random UUID (122 bits), so that nobody links a file they did not upload. */
export const attachmentIdSchema = z
  .string()
  .check(
    z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be an attachment id from POST /complaints/attachments'),
  );

// eslint-disable-next-line no-control-regex -- control characters are what a file name may not hold
const UNFIT_NAME = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069/\\]/;

/** A file's name as the customer's device gave it: one line, no path, no control or direction characters. */
export const attachmentNameSchema = z.string().check(
  z.trim(),
  z.minLength(1, 'is required'),
  z.maxLength(200),
  z.refine((name) => !UNFIT_NAME.test(name), 'must be a file name without slashes or control characters'),
);

export const uploadSlotsRequestSchema = z.object({
  files: z
    .array(
      z.object({
        name: attachmentNameSchema,
        type: z.enum(attachmentTypes, { error: `must be one of ${attachmentTypes.join(', ')}` }),
        size: z.number().check(z.int(), z.minimum(1, 'must not be empty'), z.maximum(MAX_ATTACHMENT_BYTES, 'must be at most 10 MB')),
      }),
    )
    .check(z.minLength(1, 'must name at least one file'), z.maxLength(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} files`)),
});
export type UploadSlotsRequest = z.infer<typeof uploadSlotsRequestSchema>;

export const uploadSlotSchema = z.object({
  id: attachmentIdSchema,
  name: z.string(),
  /** Where the browser POSTs the file (multipart/form-data): these fields first, in this order, then `file`. */
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  expiresAt: z.isoDateTime,
});
export const uploadSlotsSchema = z.object({ slots: z.array(uploadSlotSchema) });
export type UploadSlot = z.infer<typeof uploadSlotSchema>;

/** What the scanning hook said: `not_scanned` is the truth until a scanner is connected. */
export const scanVerdicts = ['not_scanned', 'clean'] as const;

/** A file linked to a complaint, as stored on it. */
export const storedAttachmentSchema = z.object({
  id: attachmentIdSchema,
  name: z.string(),
  type: z.enum(attachmentTypes),
  size: z.number(),
  key: z.string(),
  scan: z.enum(scanVerdicts),
});
export type StoredAttachment = z.infer<typeof storedAttachmentSchema>;

/** A staff member's short-lived link to one attachment. */
export const attachmentLinkSchema = z.object({
  ...storedAttachmentSchema.shape,
  url: z.string(),
  expiresAt: z.isoDateTime,
});

const ascii = (text: string) => [...text].map((character) => character.charCodeAt(0));
const startsWith = (bytes: Uint8Array, offset: number, expected: readonly number[]) => expected.every((byte, i) => bytes[offset + i] === byte);

/** HEIF brands of HEVC-coded images (ISO/IEC 23008-12): what a .heic file names in its `ftyp` box. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);

/**
 * The type a file's first bytes show, or undefined when they show none of the accepted ones. JPEG: FF D8 FF;
 * PNG: its 8-byte signature; WebP: a RIFF container of form WEBP; HEIC: an ISO BMFF `ftyp` box whose major
 * brand, or (under the generic `mif1`/`msf1`) one of whose compatible brands, is an HEVC image brand; PDF: `%PDF-`.
 */
export function detectAttachmentType(head: Uint8Array): AttachmentType | undefined {
  if (startsWith(head, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, 0, ascii('RIFF')) && startsWith(head, 8, ascii('WEBP'))) return 'image/webp';
  if (startsWith(head, 0, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(head, 4, ascii('ftyp'))) {
    const boxSize = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
    const brand = (offset: number) => String.fromCharCode(...head.subarray(offset, offset + 4));
    const major = brand(8);
    if (HEIC_BRANDS.has(major)) return 'image/heic';
    if (major === 'mif1' || major === 'msf1') {
      // Compatible brands follow the minor version, four bytes each, to the end of the box (or of what was read).
      for (let offset = 16; offset + 4 <= Math.min(boxSize, head.length); offset += 4) if (HEIC_BRANDS.has(brand(offset))) return 'image/heic';
    }
  }
  return undefined;
}

/** How the page and the errors name a type. */
export const attachmentTypeNames: Record<AttachmentType, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/heic': 'HEIC',
  'application/pdf': 'PDF',
};

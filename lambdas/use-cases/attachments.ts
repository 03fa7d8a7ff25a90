import {
  attachmentTypeNames,
  detectAttachmentType,
  MAX_ATTACHMENT_BYTES,
  quarantineKey,
  type AttachmentType,
  type StoredAttachment,
  type UploadSlot,
  type UploadSlotsRequest,
} from '../core/attachments';
import type { Complaint } from '../core/complaint';
import { NotFound, ValidationFailed, type FieldIssue } from '../core/errors';
import { clientKey, countAndLimit } from './attempt-limits';
import type { AttemptCounter } from './look-up-status';

/** What intake learns of an upload in quarantine: what S3 stored and its first bytes. */
export interface UploadedFile {
  /** The Content-Type the presigned POST pinned. */
  contentType: string;
  size: number;
  name: string;
  head: Uint8Array;
  /** S3's ETag of the upload inspected: which bytes were checked, so that exactly these are kept. */
  etag: string;
}

/** The private bucket, in the use cases' words (adapters/attachment-store.ts). */
export interface AttachmentStore {
  /** A presigned POST for one file under quarantine/, pinned to its type and at most its size. */
  uploadSlot(file: { id: string; name: string; type: AttachmentType; size: number }): UploadSlot;
  /** The upload in quarantine, or undefined when there is none (never uploaded, or cleared by the lifecycle rule). */
  inspect(id: string): Promise<UploadedFile | undefined>;
  /**
   * Copies a checked upload out of quarantine into `folder` (the filing's own: core/attachments.ts, keptKey),
   * only if it is still the upload inspected (`etag`, compared by S3 in the copy itself); answers its key there,
   * or undefined when the upload was replaced (its slot's POST is good for 15 minutes) or is gone.
   */
  keep(id: string, etag: string, folder: string): Promise<string | undefined>;
  /** Deletes kept copies that no complaint refers to (a filing refused after they were made). */
  discard(keys: readonly string[]): Promise<void>;
  /** A short-lived link for staff to one kept file, downloaded under its name. */
  link(key: string, name: string, expiresInSeconds: number): { url: string; expiresAt: string };
}

/**
 * The scanning hook: a malware scanner's verdict on an upload. The default (adapters/attachment-scanner.ts)
 * scans nothing and says so: every file is stored as `not_scanned`, and staff see that.
 */
export interface AttachmentScanner {
  scan(key: string): Promise<'clean' | 'infected' | 'not_scanned'>;
}

export interface UploadSlotPorts {
  store: Pick<AttachmentStore, 'uploadSlot'>;
  attempts: AttemptCounter;
  now: () => Date;
  newId: () => string;
}

/**
 * Upload slots per client: 30 requests of up to 10 files per 15 minutes, more than anyone photographing a
 * defect needs; each unused slot costs nothing (its POST is only a signature) and whatever is uploaded and not
 * filed is deleted from quarantine by the bucket's lifecycle rule after a day.
 */
export const UPLOAD_SLOT_LIMITS = { windowSeconds: 15 * 60, perClient: 30 } as const;

/** POST /complaints/attachments: one presigned POST per file the page is about to upload. */
export async function issueUploadSlots(request: UploadSlotsRequest, client: string, ports: UploadSlotPorts): Promise<UploadSlot[]> {
  await countAndLimit(ports.attempts, ports.now(), UPLOAD_SLOT_LIMITS.windowSeconds, [
    { key: clientKey('uploads', client), limit: UPLOAD_SLOT_LIMITS.perClient },
  ]);
  return request.files.map((file) => ports.store.uploadSlot({ id: ports.newId(), ...file }));
}

export interface AttachmentCheckPorts {
  attachments: Pick<AttachmentStore, 'inspect' | 'keep' | 'discard'>;
  scanner: AttachmentScanner;
}

/** An upload that passed every check: what will be stored of it, which bytes were checked, and where it was named. */
export interface CheckedAttachment {
  file: Omit<StoredAttachment, 'key'>;
  etag: string;
  /** `attachments.<n>`: the first place the submission named it. */
  field: string;
}

/**
 * Checks every upload a submission names, or refuses the submission (422 naming each bad one): each must be in
 * quarantine, within 10 MB, of a type its first bytes confirm, and not refused by the scanner. A repeated id
 * counts once. Keeps nothing: `keepAttachments` does, once everything else about the filing holds.
 */
export async function checkAttachments(
  ids: readonly string[],
  ports: Pick<AttachmentCheckPorts, 'attachments' | 'scanner'>,
): Promise<CheckedAttachment[]> {
  const unique = [...new Set(ids)];
  const issues: FieldIssue[] = [];
  const checked = await Promise.all(
    unique.map(async (id): Promise<CheckedAttachment | undefined> => {
      const field = `attachments.${ids.indexOf(id)}`;
      const file = await ports.attachments.inspect(id);
      if (!file) return void issues.push({ field, message: 'was not uploaded, or its upload expired: attach the file again' });
      const declared = file.contentType as AttachmentType;
      if (!(declared in attachmentTypeNames)) return void issues.push({ field, message: 'is not a photo (JPEG, PNG, WebP, HEIC) or a PDF' });
      if (file.size > MAX_ATTACHMENT_BYTES) return void issues.push({ field, message: 'is larger than 10 MB' });
      const shown = detectAttachmentType(file.head);
      if (shown !== declared) {
        return void issues.push({
          field,
          message: `is not a ${attachmentTypeNames[declared]} file, as it was declared (its content does not match)`,
        });
      }
      const verdict = await ports.scanner.scan(quarantineKey(id));
      if (verdict === 'infected') return void issues.push({ field, message: 'was refused by the malware scan' });
      return { file: { id, name: file.name, type: declared, size: file.size, scan: verdict }, etag: file.etag, field };
    }),
  );
  if (issues.length > 0) throw new ValidationFailed(inNamedOrder(issues));
  return checked.filter((entry) => entry !== undefined);
}

/**
 * Keeps checked uploads in `folder`, the filing's own (the complaint's id at intake): each copy is made only if the upload is still the one
 * checked, so a file replaced in its slot after the check is never kept under the earlier verdict (422 naming
 * it: the customer attaches it again and it is checked again). All or none: when one cannot be kept, the
 * copies already made are deleted.
 */
export async function keepAttachments(
  checked: readonly CheckedAttachment[],
  folder: string,
  ports: Pick<AttachmentCheckPorts, 'attachments'>,
): Promise<StoredAttachment[]> {
  const copies = await Promise.allSettled(checked.map((entry) => ports.attachments.keep(entry.file.id, entry.etag, folder)));
  const kept = copies.flatMap((copy, i) =>
    copy.status === 'fulfilled' && copy.value !== undefined ? [{ ...checked[i]!.file, key: copy.value }] : [],
  );
  if (kept.length === checked.length) return kept;
  await discardKept(kept, ports);
  const failed = copies.find((copy): copy is PromiseRejectedResult => copy.status === 'rejected');
  if (failed) throw failed.reason;
  throw new ValidationFailed(
    inNamedOrder(
      checked
        .filter((_, i) => copies[i]!.status === 'fulfilled' && (copies[i] as PromiseFulfilledResult<string | undefined>).value === undefined)
        .map((entry) => ({ field: entry.field, message: 'was replaced or removed after it was checked: attach the file again' })),
    ),
  );
}

/**
 * Deletes the kept copies of a filing that was not stored, so that nothing is kept for a refused submission.
 * Best effort: the refusal is what the customer needs now, and a copy left in the refused filing's own folder is
 * no other filing's file (README, "Attachments": what can be left unreferenced).
 */
export async function discardKept(kept: readonly StoredAttachment[], ports: Pick<AttachmentCheckPorts, 'attachments'>): Promise<void> {
  if (kept.length > 0) await ports.attachments.discard(kept.map((file) => file.key)).catch(() => undefined);
}

/**
 * What intake needs of a submission's files (use-cases/submit-complaint.ts): checked and kept for the complaint
 * being filed, once every check that needs no file has passed; and deleted again when that complaint is not
 * stored (refused, or the answer to an earlier request under its Idempotency-Key).
 */
export interface AttachmentKeeper {
  keep(ids: readonly string[], complaintId: string): Promise<StoredAttachment[]>;
  discard(kept: readonly StoredAttachment[]): Promise<void>;
}

export function attachmentKeeper(ports: AttachmentCheckPorts): AttachmentKeeper {
  return {
    keep: async (ids, complaintId) => keepAttachments(await checkAttachments(ids, ports), complaintId, ports),
    discard: (kept) => discardKept(kept, ports),
  };
}

/** A slot another complaint (or this one) has already claimed: its file belongs to that complaint. */
export const alreadyFiled = (position: number): FieldIssue => ({
  field: `attachments.${position}`,
  message: 'is already filed with a complaint: a file belongs to one complaint only, so upload it again',
});

/** Issues about `attachments.<n>` in the order the submission named the files, whichever check finished first. */
export function inNamedOrder(issues: FieldIssue[]): FieldIssue[] {
  const position = (issue: FieldIssue) => Number(issue.field.split('.')[1]);
  return issues.sort((a, b) => position(a) - position(b));
}

/** How long a staff member's link works: enough to open it, short enough that a forwarded link soon dies. */
export const STAFF_LINK_SECONDS = 5 * 60;

/** A short-lived link to one of a complaint's attachments (the caller has already been allowed to read it). */
export function attachmentLink(complaint: Complaint, attachmentId: string, store: Pick<AttachmentStore, 'link'>) {
  const attachment = complaint.attachments?.find((candidate) => candidate.id === attachmentId);
  if (!attachment) throw new NotFound(`Complaint ${complaint.id} has no attachment ${attachmentId}.`);
  return { ...attachment, ...store.link(attachment.key, attachment.name, STAFF_LINK_SECONDS) };
}

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
}

/** The private bucket, in the use cases' words (adapters/attachment-store.ts). */
export interface AttachmentStore {
  /** A presigned POST for one file under quarantine/, pinned to its type and at most its size. */
  uploadSlot(file: { id: string; name: string; type: AttachmentType; size: number }): UploadSlot;
  /** The upload in quarantine, or undefined when there is none (never uploaded, or cleared by the lifecycle rule). */
  inspect(id: string): Promise<UploadedFile | undefined>;
  /** Copies a checked upload out of quarantine to where it is kept; answers its key there. */
  keep(id: string): Promise<string>;
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
  attachments: Pick<AttachmentStore, 'inspect' | 'keep'>;
  scanner: AttachmentScanner;
}

/**
 * Checks every upload a submission names and keeps those that pass, or refuses the submission (422 naming each
 * bad one) and keeps none: each must be in quarantine, within 10 MB, of a type its first bytes confirm, and not
 * refused by the scanner. A repeated id counts once. Run again for a retried submission, it does the same again
 * (the copy overwrites itself), so a retry under an Idempotency-Key stays harmless.
 */
export async function checkAttachments(ids: readonly string[], ports: AttachmentCheckPorts): Promise<StoredAttachment[]> {
  const unique = [...new Set(ids)];
  const issues: FieldIssue[] = [];
  const checked = await Promise.all(
    unique.map(async (id) => {
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
      return { id, name: file.name, type: declared, size: file.size, scan: verdict };
    }),
  );
  // In the order the submission named them, whichever check finished first.
  const position = (issue: FieldIssue) => Number(issue.field.split('.')[1]);
  if (issues.length > 0) throw new ValidationFailed(issues.sort((a, b) => position(a) - position(b)));
  const passed = checked.filter((entry) => entry !== undefined);
  return Promise.all(passed.map(async (entry) => ({ ...entry, key: await ports.attachments.keep(entry.id) })));
}

/** How long a staff member's link works: enough to open it, short enough that a forwarded link soon dies. */
export const STAFF_LINK_SECONDS = 5 * 60;

/** A short-lived link to one of a complaint's attachments (the caller has already been allowed to read it). */
export function attachmentLink(complaint: Complaint, attachmentId: string, store: Pick<AttachmentStore, 'link'>) {
  const attachment = complaint.attachments?.find((candidate) => candidate.id === attachmentId);
  if (!attachment) throw new NotFound(`Complaint ${complaint.id} has no attachment ${attachmentId}.`);
  return { ...attachment, ...store.link(attachment.key, attachment.name, STAFF_LINK_SECONDS) };
}

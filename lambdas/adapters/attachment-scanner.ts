import type { AttachmentScanner } from '../use-cases/attachments';

/**
 * The scanning hook's default: no scanner is connected, so no file is scanned, and every file is stored and shown
 * to staff as `not_scanned` rather than passed off as clean. A deployment with a scanner (e.g. GuardDuty Malware
 * Protection for S3, which tags the object with its verdict) implements AttachmentScanner and is wired in
 * compose.ts instead.
 */
export const noScanner: AttachmentScanner = {
  scan: async () => 'not_scanned',
};

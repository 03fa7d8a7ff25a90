import { randomUUID } from 'node:crypto';

/** Complaint ids are random UUIDs: they name the workflow execution, so they must never repeat. */
export const newComplaintId = (): string => randomUUID();

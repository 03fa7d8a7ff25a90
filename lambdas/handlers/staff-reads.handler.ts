import { attachmentStore, staffDirectory, staffReadPorts } from './compose';
import { pathId, staffHandler, type StaffActions } from '../http/staff-dispatcher';
import { staffReadRoutes } from '../http/staff-read-routes';
import { listComplaints, readComplaint, readHistory, viewOf } from '../use-cases/staff-actions';
import { attachmentLink } from '../use-cases/attachments';
import { attachmentIdSchema } from '../core/attachments';

// The staff API's reads (lambdas/http/staff-read-routes.ts): nothing here sends, wakes or deletes.
const actions: StaffActions<(typeof staffReadRoutes)[number]> = {
  listComplaints: async ({ query }, staff) => ({ body: await listComplaints(query, staff, staffReadPorts()) }),
  // A complaint carries the newest page of its history.
  readComplaint: async ({ id }, staff) => ({ body: await viewOf(await readComplaint(id, staff, staffReadPorts()), staffReadPorts()) }),
  readHistory: async ({ id, query }, staff) => ({ body: await readHistory(id, query, staff, staffReadPorts()) }),
  linkAttachment: async ({ id, params }, staff) => {
    const attachmentId = pathId(params, 'attachmentId', (value) => attachmentIdSchema.safeParse(value).success, 'attachment');
    return { body: attachmentLink(await readComplaint(id, staff, staffReadPorts()), attachmentId, attachmentStore()) };
  },
};

export const handler = staffHandler(staffReadRoutes, actions, staffDirectory);

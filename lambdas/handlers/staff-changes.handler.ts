import type { Complaint } from '../core/complaint';
import type { StaffMember } from '../core/staff';
import { intakePorts, staffDirectory, staffPorts } from './compose';
import { staffHandler, type StaffActions, type StaffAnswer } from '../http/staff-dispatcher';
import { staffChangeRoutes } from '../http/staff-change-routes';
import {
  addNote,
  assignComplaint,
  recordAcknowledgement,
  recordDecision,
  recordDecisionPosting,
  requestExtension,
  requestInformation,
  type StaffPorts,
} from '../use-cases/staff-actions';
import { registerComplaint } from '../use-cases/submit-complaint';
import { keyedStaffWrite, type KeyedStaffRequest } from '../use-cases/staff-idempotency';

// The staff API's changes to complaints (lambdas/http/staff-change-routes.ts).

/**
 * Every staff write that changes a complaint goes through here: under an Idempotency-Key it is stored with
 * its answer, and a retry or a replayed signed request gets that answer again (keyedStaffWrite).
 */
async function change(keyed: KeyedStaffRequest, staff: StaffMember, write: (ports: StaffPorts) => Promise<Complaint>): Promise<StaffAnswer> {
  const { status, complaint, replayed } = await keyedStaffWrite(keyed, staff, staffPorts(), write);
  return { status, body: complaint, replayed };
}

const actions: StaffActions<(typeof staffChangeRoutes)[number]> = {
  registerComplaint: async ({ body, idempotencyKey }, staff) => {
    const { receipt, replayed } = await registerComplaint(body, staff, idempotencyKey, intakePorts());
    return { status: replayed ? 200 : 201, body: receipt, replayed };
  },
  assignComplaint: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => assignComplaint(id, body, staff, ports)),
  addNote: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => addNote(id, body, staff, ports)),
  recordDecision: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => recordDecision(id, body, staff, ports)),
  requestInformation: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => requestInformation(id, body, staff, ports)),
  requestExtension: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => requestExtension(id, body, staff, ports)),
  recordDecisionPosting: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => recordDecisionPosting(id, body, staff, ports)),
  recordAcknowledgement: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => recordAcknowledgement(id, body, staff, ports)),
};

export const handler = staffHandler(staffChangeRoutes, actions, staffDirectory);

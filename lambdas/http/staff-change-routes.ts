import { complaintReceiptSchema, complaintSchema } from '../core/complaint';
import {
  acknowledgementRecordSchema,
  assignmentRequestSchema,
  decisionPostingSchema,
  decisionRequestSchema,
  extensionRequestSchema,
  informationRequestSchema,
  noteRequestSchema,
  registrationSchema,
} from '../core/staff-requests';
import type { Route } from './routes';

// The staff API's changes to complaints, served by the staffChanges function: their part of the route registry
// (routes.ts), a module of its own so that the function's dispatcher bundles these routes' schemas only.

const theComplaint = { description: 'The complaint', schema: complaintSchema };

export const staffChangeRoutes = [
  {
    method: 'POST',
    path: '/admin/complaints',
    function: 'staffChanges',
    authorization: 'iam',
    action: 'registerComplaint',
    summary: 'Register a complaint received by letter, phone or in person',
    request: { body: registrationSchema, idempotencyKey: true },
    responses: {
      200: { description: 'The first answer again: a retried registration with the same Idempotency-Key', schema: complaintReceiptSchema },
      201: { description: 'Registered', schema: complaintReceiptSchema },
    },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/assignment',
    function: 'staffChanges',
    authorization: 'iam',
    action: 'assignComplaint',
    summary: 'Assign or reassign a department (supervisor)',
    request: { body: assignmentRequestSchema, idempotencyKey: true },
    responses: { 200: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/notes',
    function: 'staffChanges',
    authorization: 'iam',
    action: 'addNote',
    summary: 'Add an internal note',
    request: { body: noteRequestSchema, idempotencyKey: true },
    responses: { 201: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/decision',
    function: 'staffChanges',
    authorization: 'iam',
    action: 'recordDecision',
    summary: "Record the decision; the workflow sends it to the customer at once. Checked against the policy's required answer elements.",
    request: { body: decisionRequestSchema, idempotencyKey: true },
    responses: { 200: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/information-requests',
    function: 'staffChanges',
    authorization: 'iam',
    action: 'requestInformation',
    summary: 'Ask the customer for more information (e-mail)',
    request: { body: informationRequestSchema, idempotencyKey: true },
    responses: { 201: theComplaint },
    problems: [409, 503],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/extension',
    function: 'staffChanges',
    authorization: 'iam',
    action: 'requestExtension',
    summary:
      'Extend the deadline where the policy allows it (financial: to 60 days, the notice sent within the 30-day term as art. 115 KC moves its last day)',
    request: { body: extensionRequestSchema, idempotencyKey: true },
    responses: { 200: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/decision-posting',
    function: 'staffChanges',
    authorization: 'iam',
    action: 'recordDecisionPosting',
    summary: 'Record the day the printed answer was posted; a dispatch deadline checks this date, and the complaint closes',
    request: { body: decisionPostingSchema, idempotencyKey: true },
    responses: { 200: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/acknowledgement',
    function: 'staffChanges',
    authorization: 'iam',
    action: 'recordAcknowledgement',
    summary:
      'Record an acknowledgement of receipt given outside the product (handed over in person, by letter or phone); the history says whether it was in time',
    request: { body: acknowledgementRecordSchema, idempotencyKey: true },
    responses: { 201: theComplaint },
    problems: [409],
  },
] as const satisfies readonly Route[];

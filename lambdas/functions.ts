// Every deployed function, once. CDK makes one Lambda per entry (one concern each, its own bundle and grants);
// the local runtime loads the very same handler modules; the workflow refers to step functions by name.

export type Grant = 'table:read' | 'table:write' | 'email:send' | 'workflow:start' | 'workflow:callback';

export interface FunctionSpec {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  grants: readonly Grant[];
  /** Seconds; a Lambda's own timeout. */
  timeout: number;
  memory: number;
}

export const functions = {
  health: {
    entry: 'lambdas/handlers/health.handler.ts',
    description: 'Answers GET /health',
    grants: [],
    timeout: 3,
    memory: 256,
  },
  intake: {
    entry: 'lambdas/handlers/intake.handler.ts',
    description: 'Takes a complaint in from the public form (POST /complaints)',
    grants: ['table:read', 'table:write'],
    timeout: 10,
    memory: 512,
  },
  admin: {
    entry: 'lambdas/handlers/admin.handler.ts',
    description: 'The staff API (/admin/...), behind IAM (SigV4) authorization',
    grants: ['table:read', 'table:write', 'email:send', 'workflow:callback'],
    timeout: 10,
    memory: 512,
  },
  openapi: {
    entry: 'lambdas/handlers/openapi.handler.ts',
    description: 'Serves the OpenAPI document (GET /openapi.json)',
    grants: [],
    timeout: 3,
    memory: 256,
  },
  recordDelivery: {
    entry: 'lambdas/handlers/record-delivery.handler.ts',
    description: 'Records what SES reports about e-mails to customers (delivered, bounced) on the complaint',
    grants: ['table:read', 'table:write'],
    timeout: 10,
    memory: 256,
  },
  workflowStarter: {
    entry: 'lambdas/handlers/workflow-starter.handler.ts',
    description: 'Starts one workflow per stored complaint, from the table stream',
    grants: ['table:read', 'table:write', 'workflow:start'],
    timeout: 30,
    memory: 256,
  },
  advanceComplaint: {
    entry: 'lambdas/handlers/advance-complaint.handler.ts',
    description: 'Workflow step: does what the complaint needs now (acknowledge, assign, notify, remind, answer, apply the deadline) and says how long to wait',
    grants: ['table:read', 'table:write', 'email:send'],
    timeout: 30,
    memory: 256,
  },
  registerWait: {
    entry: 'lambdas/handlers/register-wait.handler.ts',
    description: 'Workflow step: stores the callback token the workflow waits on',
    grants: ['table:read', 'table:write', 'workflow:callback'],
    timeout: 30,
    memory: 256,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

/** Functions that the workflow calls, and the ASL substitution variable holding each one's ARN. */
export const workflowSteps = {
  advanceComplaint: 'AdvanceComplaintFunctionArn',
  registerWait: 'RegisterWaitFunctionArn',
} as const satisfies Partial<Record<FunctionName, string>>;

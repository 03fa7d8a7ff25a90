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
  sendAcknowledgement: {
    entry: 'lambdas/handlers/send-acknowledgement.handler.ts',
    description: 'Workflow step: e-mails the customer the reference number and the due date',
    grants: ['table:read', 'table:write', 'email:send'],
    timeout: 30,
    memory: 256,
  },
  assignDepartment: {
    entry: 'lambdas/handlers/assign-department.handler.ts',
    description: 'Workflow step: assigns a department by the rules in config/departments.json',
    grants: ['table:read', 'table:write'],
    timeout: 30,
    memory: 256,
  },
  planNextStep: {
    entry: 'lambdas/handlers/plan-next-step.handler.ts',
    description: 'Workflow step: decides what the complaint needs next',
    grants: ['table:read', 'table:write'],
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
  notifyDepartment: {
    entry: 'lambdas/handlers/notify-department.handler.ts',
    description: 'Workflow step: e-mails the assigned department',
    grants: ['table:read', 'table:write', 'email:send'],
    timeout: 30,
    memory: 256,
  },
  sendReminder: {
    entry: 'lambdas/handlers/send-reminder.handler.ts',
    description: 'Workflow step: reminds the department (and escalates) before the due date',
    grants: ['table:read', 'table:write', 'email:send'],
    timeout: 30,
    memory: 256,
  },
  handleDeadline: {
    entry: 'lambdas/handlers/handle-deadline.handler.ts',
    description: 'Workflow step: applies the effect of silence when the due date passes',
    grants: ['table:read', 'table:write', 'email:send'],
    timeout: 30,
    memory: 256,
  },
  sendDecision: {
    entry: 'lambdas/handlers/send-decision.handler.ts',
    description: 'Workflow step: sends the customer the decision and closes the complaint',
    grants: ['table:read', 'table:write', 'email:send'],
    timeout: 30,
    memory: 256,
  },
  sendExtensionNotice: {
    entry: 'lambdas/handlers/send-extension-notice.handler.ts',
    description: 'Workflow step: sends the customer the extension notice',
    grants: ['table:read', 'table:write', 'email:send'],
    timeout: 30,
    memory: 256,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

/** Functions that the workflow calls, and the ASL substitution variable holding each one's ARN. */
export const workflowSteps = {
  sendAcknowledgement: 'SendAcknowledgementFunctionArn',
  assignDepartment: 'AssignDepartmentFunctionArn',
  planNextStep: 'PlanNextStepFunctionArn',
  registerWait: 'RegisterWaitFunctionArn',
  notifyDepartment: 'NotifyDepartmentFunctionArn',
  sendReminder: 'SendReminderFunctionArn',
  handleDeadline: 'HandleDeadlineFunctionArn',
  sendDecision: 'SendDecisionFunctionArn',
  sendExtensionNotice: 'SendExtensionNoticeFunctionArn',
} as const satisfies Partial<Record<FunctionName, string>>;

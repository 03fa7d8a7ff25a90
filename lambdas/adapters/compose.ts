import { dynamo, ses, stepFunctions } from './clients';
import { clockFromEnvironment } from './clock';
import { readEnvironment, required } from './config';
import { dynamoComplaintRepository } from './complaint-repository';
import { sesMailer } from './mailer';
import { stepFunctionsWorkflowWaker } from './workflow-client';
import { loadPolicyRegistry } from '../core/policy-config';
import { loadDepartmentRules } from '../core/department-rules';
import departmentsFile from '../../config/departments.json';
import type { StepPorts } from '../use-cases/workflow-steps';

// The composition root: each handler asks for the ports it needs, built once per process (cold start)
// from the environment, which is validated on first use.

let stepPortsMemo: StepPorts | undefined;

export function stepPorts(): StepPorts {
  if (stepPortsMemo) return stepPortsMemo;
  const env = readEnvironment();
  const clock = clockFromEnvironment();
  stepPortsMemo = {
    complaints: dynamoComplaintRepository(dynamo(), env.TABLE_NAME),
    mailer: sesMailer(ses(), required(env, 'SENDER_ADDRESS'), env.SES_CONFIGURATION_SET),
    policies: loadPolicyRegistry(env.DEFAULT_POLICY),
    departments: loadDepartmentRules(departmentsFile),
    waker: stepFunctionsWorkflowWaker(stepFunctions()),
    now: () => clock.now(),
    companyName: env.COMPANY_NAME,
  };
  return stepPortsMemo;
}


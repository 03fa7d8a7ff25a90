import { stepFunctionsClient, type StepFunctionsClient } from './aws-wire/sfn-api';

// The Step Functions client, made once per process (see clients.ts for why each service has a module of its own).
let sfnClient: StepFunctionsClient | undefined;

export function stepFunctions(): StepFunctionsClient {
  sfnClient ??= stepFunctionsClient();
  return sfnClient;
}

import { SFNClient } from '@aws-sdk/client-sfn';

// The Step Functions client, made once per process (see clients.ts for why each service has a module of its own).
let sfnClient: SFNClient | undefined;

export function stepFunctions(): SFNClient {
  sfnClient ??= new SFNClient({});
  return sfnClient;
}

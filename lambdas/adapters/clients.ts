import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Clients are made once per process and injected (STYLE.md §3), one module per service so that a function's
// bundle carries only the clients it imports (esbuild cannot drop an SDK package a module imports). Endpoints
// come from the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local runtime points the very
// same code at the stand-ins: no code path differs. SDK retries stay on (3 attempts, backoff with jitter).

let documentClient: DynamoDBDocumentClient | undefined;

export function dynamo(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

import { dynamoDocumentClient, type DynamoDocumentClient } from './aws-wire/dynamodb-api';

// Clients are made once per process and injected (STYLE.md §3), one module per service so that a function's
// bundle carries only the clients it imports. They speak to AWS through a small signed-fetch client
// (lambdas/adapters/aws-wire/), not the AWS SDK: README, "Bundle sizes", says why. Endpoints come from the
// SDK's own AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local runtime points the very same code at
// the stand-ins: no code path differs. Retries as the SDK's standard mode (3 attempts, backoff with jitter).

let documentClient: DynamoDocumentClient | undefined;

export function dynamo(): DynamoDocumentClient {
  documentClient ??= dynamoDocumentClient();
  return documentClient;
}

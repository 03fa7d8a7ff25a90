import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';

// Clients are made once per process and injected (STYLE.md §3). Endpoints come from the SDK's own
// AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local runtime points the very same code at
// dynalite, aws-ses-v2-local and the local Step Functions server: no code path differs between the two.
// SDK retries stay on (3 attempts, exponential backoff with jitter) for throttling and 5xx.

let documentClient: DynamoDBDocumentClient | undefined;
let sesClient: SESv2Client | undefined;
let sfnClient: SFNClient | undefined;

export function dynamo(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function ses(): SESv2Client {
  sesClient ??= new SESv2Client({});
  return sesClient;
}

export function stepFunctions(): SFNClient {
  sfnClient ??= new SFNClient({});
  return sfnClient;
}

import type { IncomingHttpHeaders } from 'node:http';
import { sendInProcess, TARGET_PREFIX, type Call, type DynaliteListener, type Json } from '../../local/dynalite-in-process';

// DynamoDB's API through dynalite's request listener, in memory: a request as a client sends it (JSON bytes,
// signed headers) and the answer as dynalite writes it to the wire. For tests that hold the direct call
// (dynaliteApart's) to the listener's answers, or that drive a dynalite module of their own.

// dynalite wants a signature's shape (it checks none): calls made here carry a placeholder one.
const signed = (operation: string): IncomingHttpHeaders => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `${TARGET_PREFIX}${operation}`,
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/eu-central-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
});

/** An operation and its input, answered with dynalite's status and output, as read off the wire. */
export function listenerCall(listener: DynaliteListener): Call {
  return async (operation, body) => {
    const answer = await sendInProcess(listener, signed(operation), Buffer.from(JSON.stringify(body)));
    return { status: answer.status, body: JSON.parse(answer.body || '{}') as Json };
  };
}

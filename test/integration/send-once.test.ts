import { SendEmailCommand, sesClient } from '../../lambdas/adapters/aws-wire/sesv2-api';
import { MAX_ATTEMPTS } from '../../lambdas/adapters/aws-wire/standard-retry';
import type { Runtime } from '../../local/runtime';
import { dynamo } from '../../lambdas/adapters/clients';
import { mailbox, postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';

// The send-once path against the local stand-ins: dynalite, the mailbox (which publishes SES's Send events to
// recordDelivery, local/ses.ts) and the workflow engine running the real ASL.

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

/**
 * Fails the next `times` writes of the acknowledgement's record, as throttled DynamoDB would: every attempt of
 * each, so the client's own three attempts (lambdas/adapters/aws-wire/standard-retry.ts) are spent too.
 */
function failAcknowledgementRecords(times: number) {
  let left = times * MAX_ATTEMPTS;
  return dynamo().intercept(async (request, next) => {
    if (left > 0 && (await request.clone().text()).includes('SET acknowledgement = ')) {
      left -= 1;
      return new Response(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'injected throttling of the acknowledgement record',
        }),
        { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0' } },
      );
    }
    return next(request);
  });
}

it("completes the acknowledgement from SES's Send event when its step failed after SES accepted it, and sends one e-mail", async () => {
  // Five failed writes: the step's own retries of the record (about 7.5 s) all fail, and the step fails after
  // SES accepted the e-mail, as a step killed at that moment would. The workflow retries the step.
  const stopFailing = failAcknowledgementRecords(5);
  try {
    const { id, reference } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string; reference: string };
    await runtime.settled();
    const acknowledgements = (await mailbox(runtime)).filter(
      (email) => email.subject.endsWith(reference) && email.subject.startsWith('Potwierdzenie'),
    );
    expect(acknowledgements).toHaveLength(1);
    const items = await storedItems(runtime);
    const complaint = items.find((item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S === 'COMPLAINT');
    expect(complaint?.acknowledgement?.M?.messageId?.S).toBe(acknowledgements[0]!.messageId);
    const claim = items.find((item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S.startsWith('SEND#') && item.email?.S === 'acknowledgement');
    expect(claim?.sentMessageId?.S).toBe(acknowledgements[0]!.messageId);
  } finally {
    stopFailing();
  }
}, 30_000);

it('keeps the Send event off the claim of an e-mail whose record was written (a read, no write)', async () => {
  const { id } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
  await runtime.settled();
  // The Send events come a second after SES accepted each e-mail.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const claims = (await storedItems(runtime)).filter((item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S.startsWith('SEND#'));
  expect(claims.map((claim) => claim.email?.S).sort()).toEqual(['acknowledgement', expect.stringMatching(/^department notice: /)]);
  expect(claims.filter((claim) => claim.sentMessageId)).toEqual([]);
});

it('refuses, as SES does, an e-mail whose tag value holds a character SES does not allow', async () => {
  // The product's own SES client, pointed at the stand-in as the local runtime points it.
  const ses = sesClient({
    env: { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l', AWS_ENDPOINT_URL_SESV2: runtime.urls.mailbox },
  });
  const send = ses.send(
    new SendEmailCommand({
      FromEmailAddress: 'reklamacje@sklep.example',
      Destination: { ToAddresses: ['anna@example.com'] },
      EmailTags: [{ Name: 'record', Value: 'extension.noticeSent' }],
      Content: { Simple: { Subject: { Data: 'Test' }, Body: { Text: { Data: 'Test' } } } },
    }),
  );
  await expect(send).rejects.toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400, attempts: 1 } });
});

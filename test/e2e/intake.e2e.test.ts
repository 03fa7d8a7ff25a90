import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validComplaint } from '../support/local-product';
import { eventually, freePorts, npmStart, stopProduct, type StartedProduct } from '../support/npm-start';

// The product as a person starts it: `npm start` in a child process, reached only over HTTP.

const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-e2e-'));
let product: StartedProduct;
let api: string;
let mailbox: string;
const output = () => product.output();

beforeAll(async () => {
  product = await npmStart({ dataDir, ports: await freePorts() });
  ({ api, mailbox } = product);
}, 120_000);

afterAll(async () => {
  await stopProduct(product);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
});

it('prints a banner naming the API and the mailbox', () => {
  expect(output()).toContain(api);
  expect(output()).toContain(mailbox);
});

it('takes a complaint over HTTP and e-mails the customer its reference', async () => {
  const response = await fetch(`${api}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'e2e-1' },
    body: JSON.stringify(validComplaint),
  });
  expect(response.status).toBe(201);
  const { reference, responseDueBy } = (await response.json()) as { reference: string; responseDueBy: string };

  const email = await eventually(async () => {
    const { emails } = (await (await fetch(`${mailbox}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] }; body: { text: string; html: string } }[];
    };
    return emails.find((sent) => sent.subject.includes(reference));
  }, `the acknowledgement of ${reference}`);
  expect(email.destination.to).toEqual([validComplaint.customer.email]);
  expect(email.body.text).toContain(reference);
  expect(email.body.html).toContain(reference);
  const [year] = responseDueBy.split('-');
  expect(email.body.text).toContain(year);
}, 30_000);

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureInvalid, WebhookTimestampOutOfTolerance } from './errors';
import type { WebhookScheme } from './webhook-sources';

// Each platform's signature, checked over the raw bytes of the body before anything parses them, compared in
// constant time, against each of the source's secrets (two during a rotation). node:crypto only: the
// `standardwebhooks` package is what the tests sign with, an implementation independent of this one.

/** A delivery as it arrived: headers by case-insensitive name, and the body's bytes. */
export interface SignedDelivery {
  header(name: string): string | undefined;
  body: Buffer;
}

/** Standard Webhooks: a signed timestamp more than 5 minutes off our clock, either way, is refused. */
export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 5 * 60;

/**
 * Checks the delivery's signature under its source's scheme; throws SignatureInvalid or
 * WebhookTimestampOutOfTolerance. `nowSeconds` is the wall clock (never the local product clock, which may
 * run faster): tolerance is about the sender's clock and ours.
 */
export function verifyWebhookSignature(scheme: WebhookScheme, delivery: SignedDelivery, secrets: readonly string[], nowSeconds: number): void {
  switch (scheme) {
    case 'standard-webhooks':
      return verifyStandardWebhook(delivery, secrets, nowSeconds);
    case 'shopify':
      return verifyBase64Hmac(delivery, 'x-shopify-hmac-sha256', secrets);
    case 'woocommerce':
      return verifyBase64Hmac(delivery, 'x-wc-webhook-signature', secrets);
    case 'shoper':
      return verifyShoper(delivery, secrets);
    default:
      throw new Error(`Unknown webhook scheme ${String(scheme satisfies never)}`);
  }
}

/**
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, several
 * space-separated while the sender rotates; the key is the secret's base64 part after `whsec_`. The
 * signature is checked first, so that only an authentic delivery learns that its timestamp was the problem.
 */
function verifyStandardWebhook(delivery: SignedDelivery, secrets: readonly string[], nowSeconds: number): void {
  const id = delivery.header('webhook-id');
  const timestamp = delivery.header('webhook-timestamp');
  const signatures = delivery.header('webhook-signature');
  if (!id || !timestamp || !signatures) throw new SignatureInvalid('The headers webhook-id, webhook-timestamp and webhook-signature are required.');
  const offered = signatures
    .split(' ')
    .map((part) => part.split(','))
    .flatMap(([version, value]) => (version === 'v1' && value ? [Buffer.from(value, 'base64')] : []));
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), delivery.body]);
  const verified = secrets.some((secret) => {
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(signed)
      .digest();
    return offered.some((signature) => equalInConstantTime(signature, expected));
  });
  if (!verified) throw new SignatureInvalid('No v1 signature in webhook-signature verifies with this source’s secrets.');
  if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureInvalid('webhook-timestamp must be whole seconds since 1970.');
  const age = nowSeconds - Number(timestamp);
  // The reference implementations refuse an age over the tolerance, so exactly 5 minutes still passes.
  if (age > STANDARD_WEBHOOKS_TOLERANCE_SECONDS)
    throw new WebhookTimestampOutOfTolerance(`The delivery was signed ${age} s ago; at most ${STANDARD_WEBHOOKS_TOLERANCE_SECONDS} s are accepted.`);
  if (-age > STANDARD_WEBHOOKS_TOLERANCE_SECONDS)
    throw new WebhookTimestampOutOfTolerance(
      `The delivery is dated ${-age} s in the future; at most ${STANDARD_WEBHOOKS_TOLERANCE_SECONDS} s are accepted.`,
    );
}

/** Shopify (X-Shopify-Hmac-Sha256) and WooCommerce (X-WC-Webhook-Signature): base64 HMAC-SHA256 of the body. */
function verifyBase64Hmac(delivery: SignedDelivery, headerName: string, secrets: readonly string[]): void {
  const offered = delivery.header(headerName);
  if (!offered) throw new SignatureInvalid(`The header ${headerName} is required.`);
  const signature = Buffer.from(offered, 'base64');
  const verified = secrets.some((secret) => equalInConstantTime(signature, createHmac('sha256', secret).update(delivery.body).digest()));
  if (!verified) throw new SignatureInvalid(`${headerName} does not verify with this source’s secrets.`);
}

/** Shoper (X-Webhook-SHA1): hex SHA-1 of "{X-Webhook-Id}:{secret}:{body}"; a digest with the secret inside, not an HMAC. */
function verifyShoper(delivery: SignedDelivery, secrets: readonly string[]): void {
  const webhookId = delivery.header('x-webhook-id');
  const offered = delivery.header('x-webhook-sha1');
  if (!webhookId || !offered) throw new SignatureInvalid('The headers X-Webhook-Id and X-Webhook-SHA1 are required.');
  if (!/^[0-9a-fA-F]{40}$/.test(offered)) throw new SignatureInvalid('X-Webhook-SHA1 must be 40 hexadecimal digits.');
  const signature = Buffer.from(offered, 'hex');
  const verified = secrets.some((secret) =>
    equalInConstantTime(signature, createHash('sha1').update(`${webhookId}:${secret}:`, 'utf8').update(delivery.body).digest()),
  );
  if (!verified) throw new SignatureInvalid('X-Webhook-SHA1 does not verify with this source’s secrets.');
}

/** timingSafeEqual wants equal lengths; a digest's length is public, so comparing it first gives nothing away. */
function equalInConstantTime(offered: Buffer, expected: Buffer): boolean {
  return offered.length === expected.length && timingSafeEqual(offered, expected);
}

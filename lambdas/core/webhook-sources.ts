import * as z from './zod';
import { remedies } from './complaint';

// The shops and plugins that may send complaints to `POST /webhooks/{source}`: each source names its scheme
// and its secrets. Locally they come from the committed demo file config/webhooks.local.json; in AWS the
// same JSON is the value of one Secrets Manager secret (lib/stateful-stack.ts), read at cold start by the
// webhook function alone.

export const webhookSchemes = ['standard-webhooks', 'shopify', 'woocommerce', 'shoper'] as const;
export type WebhookScheme = (typeof webhookSchemes)[number];

/** A source's name is a path segment and part of every idempotency key it produces: short and plain. */
export const sourceNameSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lowercase letters, digits or hyphens'));

/** Two at once while a secret is rotated: the sender switches to the new one, then the old one is removed. */
const secrets = <S extends z.ZodMiniString>(secret: S) => z.array(secret).check(z.minLength(1), z.maxLength(2));

const plainSecret = z.string().check(z.minLength(16, 'must be at least 16 characters'));

/** Standard Webhooks: `whsec_` and the key in base64 (24 to 64 bytes, as the specification asks). */
const standardWebhooksSecret = z.string().check(
  z.refine((value) => {
    if (!value.startsWith('whsec_')) return false;
    const key = Buffer.from(value.slice('whsec_'.length), 'base64');
    return key.length >= 24 && key.length <= 64;
  }, 'must be whsec_ followed by a base64 key of 24 to 64 bytes'),
);

const common = {
  /** The deadline policy of this source's complaints (config/policies.json); else the deployment's default. */
  policy: z.optional(z.string().check(z.minLength(1))),
  /** The language of the customer's e-mails when the platform does not say. */
  language: z._default(z.enum(['pl', 'en']), 'pl'),
};

export const webhookSourceSchema = z.discriminatedUnion('scheme', [
  z.object({ scheme: z.literal('standard-webhooks'), secrets: secrets(standardWebhooksSecret), ...common }),
  z.object({
    scheme: z.literal('shopify'),
    /** The app's client secret (Shopify signs every webhook of the app with it). */
    secrets: secrets(plainSecret),
    /**
     * How to read the order behind a return request (it names no customer and no product): the shop's
     * `<shop>.myshopify.com` domain and the Admin API access token of the app's installation there. Without it
     * a return request cannot be filed (a 422 naming the customer's e-mail).
     */
    adminApi: z.optional(
      z.object({
        shopDomain: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$/, 'must be the shop’s <shop>.myshopify.com domain')),
        accessToken: plainSecret,
      }),
    ),
    ...common,
  }),
  z.object({
    scheme: z.literal('woocommerce'),
    secrets: secrets(plainSecret),
    /** The order meta entry in which the returns plugin keeps the return request (see README). */
    returnRequestMetaKey: z._default(z.string().check(z.minLength(1), z.maxLength(100)), '_reklamacje_return_request'),
    ...common,
  }),
  z.object({
    scheme: z.literal('shoper'),
    secrets: secrets(plainSecret),
    /** The order statuses that mean "the customer complains" in this shop: an order.status event into one files it. */
    complaintStatusIds: z.array(z.coerce.string().check(z.minLength(1))).check(z.minLength(1)),
    /** Shoper orders carry no wanted remedy: what this shop's complaint status means, if anything (else a 422). */
    desiredRemedy: z.optional(z.enum(remedies)),
    ...common,
  }),
]);

export type WebhookSource = z.infer<typeof webhookSourceSchema>;

export const webhookSourcesSchema = z.object({
  sources: z.record(sourceNameSchema, webhookSourceSchema),
});

export type WebhookSources = z.infer<typeof webhookSourcesSchema>['sources'];

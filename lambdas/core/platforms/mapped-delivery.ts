import { createHash } from 'node:crypto';
import { complaintReasonCodes } from '../complaint';

// What a platform mapping makes of a verified delivery: a complaint in the canonical event's shape (checked
// against complaintCreatedEventSchema by the use case, so a field the mapping could not fill is a 422 naming
// it), or nothing to file, with why (a ping, another topic, an order update that is not a return request).

export type MappedDelivery =
  | {
      kind: 'complaint';
      /** The canonical `complaint.created` event, as far as the payload fills it; validated after mapping. */
      event: unknown;
      /** The platform the complaint came from (routing rules may read it). */
      sourcePlatform: string;
      /** What identifies this delivery across retries, under the scheme's rule (README, "Webhooks in"). */
      deliveryKey: readonly string[];
      /**
       * `request` when the key names the customer's request itself (a return request's own id), not one
       * delivery of it: any later delivery under that key is the same complaint, whatever else it carries.
       */
      keyNames?: 'delivery' | 'request';
      /**
       * The payload's field (or header) the event's `timestamp` came from, as the platform names it
       * (`requested_at`, `status_date`, …): a 422 about the date names it. `timestamp` when absent.
       */
      timestampField?: string;
    }
  | { kind: 'ignored'; reason: string };

/** Headers of the delivery, by case-insensitive name. */
export type Headers = (name: string) => string | undefined;

export type ReasonCode = (typeof complaintReasonCodes)[number];

/** A platform's reason in our words: its own code when it is one of ours, a known synonym, else `other`. */
export function reasonCodeOf(platformCode: string | undefined): ReasonCode {
  const code = (platformCode ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if ((complaintReasonCodes as readonly string[]).includes(code)) return code as ReasonCode;
  return REASON_SYNONYMS[code] ?? 'other';
}

const REASON_SYNONYMS: Record<string, ReasonCode> = {
  broken: 'defective',
  faulty: 'defective',
  damaged: 'damaged_in_transit',
  damaged_in_shipping: 'damaged_in_transit',
  damaged_during_shipping: 'damaged_in_transit',
  incomplete: 'missing_parts',
  missing_items: 'missing_parts',
  wrong_product: 'wrong_item',
  not_as_pictured: 'not_as_described',
};

export function bodyHash(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url');
}

/** A value from a payload as trimmed text, or undefined when absent or blank (ids may come as numbers). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

/** "Anna" + "Kowalska", either may be missing. */
export function fullName(...parts: unknown[]): string | undefined {
  return text(parts.map(text).filter(Boolean).join(' '));
}

/** A whole positive quantity from a number or a decimal string ("1.0000" in Shoper). */
export function quantity(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? Math.round(number) : undefined;
}

/** The complaint's product line from the items a shop names: their names, joined, within the form's 200 characters. */
export function productOf(items: ReadonlyArray<{ name?: string }>): string | undefined {
  return (
    items
      .map((item) => item.name)
      .filter(Boolean)
      .join(', ')
      .slice(0, 200) || undefined
  );
}

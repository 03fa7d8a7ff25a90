import * as z from './zod';
import { complaintContentSchema, shopDetailsSchema, storedCustomerSchema } from './complaint';
import type { CalendarDate } from './calendar/calendar-date';
import { warsawCalendarDate } from './calendar/warsaw-time';

// The canonical event: what any shop, plugin or connector sends to `POST /webhooks/{source}` (signed with
// Standard Webhooks) to file a complaint, and what each platform mapping (./platforms/) turns the platform's own
// payload into. Polling connectors (Allegro, BaseLinker, IdoSell, which push nothing) will produce the same
// event, so every door from a shop ends in one shape.

export const COMPLAINT_CREATED = 'complaint.created';

/** The complaint as the shop knows it: what the customer wrote, plus the shop's ids, items and reason code. */
export const complaintCreatedDataSchema = z.extend(complaintContentSchema, shopDetailsSchema.shape);

export const complaintCreatedEventSchema = z.object({
  type: z.literal(COMPLAINT_CREATED),
  /** When the customer lodged the complaint with the shop: the deadline counts from this day (Warsaw). */
  timestamp: z.iso.datetime({ offset: true }),
  data: complaintCreatedDataSchema,
});

export type ComplaintCreatedEvent = z.infer<typeof complaintCreatedEventSchema>;

/**
 * A platform's event that names no customer yet (a Shopify return request): stored at once, and the workflow
 * reads the customer from the platform before acknowledging (Complaint.platformLookup). Only a mapping whose
 * source can make that lookup validates against this instead of the canonical event.
 */
export const awaitingPlatformEventSchema = z.extend(complaintCreatedEventSchema, {
  data: z.extend(complaintCreatedDataSchema, { customer: storedCustomerSchema }),
});
export type ComplaintCreatedData = z.infer<typeof complaintCreatedDataSchema>;

/**
 * How long before its delivery an event may say the customer lodged the complaint: 7 days. The statutory term
 * counts from that day, and under `consumer` (art. 7a) 14 days of silence make the complaint deemed accepted, so
 * one wrong date from a shop's plugin (the order's date, a default of 1970) would file a complaint whose term has
 * already run out and commit the business to accepting it. 7 days is longer than any platform retries a
 * delivery (Standard Webhooks senders such as Svix ~28 h, Shopify 4 h, WooCommerce and Shoper less), so an
 * honest event is never refused for its age, it equals the delivery keys' retention (a Shopify event older than
 * that is refused already), and a complaint filed at the limit still has half of the shortest term (14 days)
 * left for staff. An older complaint is real but late: staff register it by hand with its date of receipt
 * (POST /admin/complaints, `receivedAt`), after checking that date, instead of the product deeming it accepted.
 */
export const MAX_EVENT_AGE_SECONDS = 7 * 24 * 60 * 60;

/**
 * How far after our clock an event's date may lie and still be read as today: 3 hours, for a sender's clock
 * running ahead and for a shop that writes its local time with a `Z` (Europe's zones are at most UTC+3).
 * Anything later has not happened yet (a year 9999 is a plugin's placeholder) and is refused.
 */
export const EVENT_FUTURE_TOLERANCE_SECONDS = 3 * 60 * 60;

/** The day of receipt an event's date gives, or why that date cannot be one (a 422 on the date's field). */
export type DateOfReceipt = { receivedOn: CalendarDate; problem?: undefined } | { receivedOn?: CalendarDate; problem: string };

/**
 * The Warsaw day the customer lodged the complaint with the shop, from the event's `timestamp` (already an ISO
 * instant with an offset): the term counts from it. Compared as instants, never as date strings, so a year of
 * five digits or of 0000 is refused rather than misordered. A date up to EVENT_FUTURE_TOLERANCE_SECONDS ahead is
 * today; a date before the purchase, or more than MAX_EVENT_AGE_SECONDS ago, is refused (`receivedOn` still says
 * which day it named, so a delivery filed before may be recognised).
 */
export function dateOfReceipt(timestamp: string, purchaseDate: CalendarDate | undefined, now: Date): DateOfReceipt {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return { problem: 'is not a date and time' };
  const aheadSeconds = (at - now.getTime()) / 1000;
  if (aheadSeconds > EVENT_FUTURE_TOLERANCE_SECONDS) {
    return { problem: `(${timestamp}) is in the future; it must say when the customer lodged the complaint` };
  }
  if (aheadSeconds > 0) return { receivedOn: warsawCalendarDate(now) };
  const receivedOn = warsawCalendarDate(new Date(at));
  if (purchaseDate !== undefined && receivedOn < purchaseDate) {
    return { receivedOn, problem: `(${timestamp}, ${receivedOn} in Poland) is before the purchase date ${purchaseDate}` };
  }
  if (-aheadSeconds > MAX_EVENT_AGE_SECONDS) {
    return {
      receivedOn,
      problem:
        `(${timestamp}) is more than ${MAX_EVENT_AGE_SECONDS / 86_400} days ago; the statutory term would count from it, ` +
        'so a complaint lodged that long ago is registered by staff after checking its date',
    };
  }
  return { receivedOn };
}

/** The documented example (OpenAPI `webhooks`, README): a kettle that stopped heating, ordered in a shop. */
export const complaintCreatedExample = {
  type: COMPLAINT_CREATED,
  timestamp: '2026-11-23T09:14:03Z',
  data: {
    customer: { name: 'Anna Kowalska', email: 'anna@example.com', phone: '+48600700800' },
    orderNumber: 'ZAM-2026-11-0042',
    product: 'Czajnik KE-200',
    purchaseDate: '2026-10-30',
    description: 'Czajnik przestał grzać po dwóch tygodniach.',
    desiredRemedy: 'replacement',
    language: 'pl',
    orderId: '100042',
    returnId: 'RMA-7781',
    items: [{ lineItemId: '5501', productId: 'KE-200', sku: 'KE-200-BLK', name: 'Czajnik KE-200', quantity: 1 }],
    reason: { code: 'defective', platformCode: 'stopped_working' },
  },
} as const satisfies z.input<typeof complaintCreatedEventSchema>;

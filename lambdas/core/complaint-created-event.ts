import * as z from './zod';
import { complaintContentSchema, shopDetailsSchema, storedCustomerSchema } from './complaint';

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

/**
 * The department of a complaint that no rule or person has assigned yet. A module of its own because the
 * table's keys (adapters/table-design.ts) and the staff's department scopes need the name: taken from
 * department-rules.ts, it built that module's schemas (70 zod objects) at the cold start of seven functions
 * that never read the rules (recordDelivery, registerWait, customerStatus, the webhook functions).
 */
export const UNASSIGNED = 'unassigned';

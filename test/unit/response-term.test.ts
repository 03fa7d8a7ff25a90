import { stopsTheTerm } from '../../lambdas/core/response-term';
import { listQuerySchema } from '../../lambdas/core/staff-requests';

describe('the response term and the due-date lists', () => {
  it.each([
    ['a decision e-mailed to the customer', { status: 'decided', decision: { delivery: 'email' } }],
    ['a decision with no delivery named (e-mailed)', { status: 'decided', decision: {} }],
    ['the answer sent or the letter posted (closed)', { status: 'closed' }],
    ['the term run out, deemed accepted', { status: 'deemed_accepted' }],
    ['the term run out, deemed resolved for the customer', { status: 'deemed_resolved_for_customer' }],
  ] as const)('stops the term: %s', (_, change) => {
    expect(stopsTheTerm(change)).toBe(true);
  });

  it.each([
    ['a decision waiting to be printed and posted', { status: 'decided', decision: { delivery: 'post' } }],
    ['an assignment', { status: 'assigned' }],
    ['a change that leaves the status alone (a note, the term run out with no effect)', {}],
  ] as const)('leaves the term running: %s', (_, change) => {
    expect(stopsTheTerm(change)).toBe(false);
  });

  it('refuses a most-urgent-first list of closed complaints, which have no term left to sort by', () => {
    expect(listQuerySchema.safeParse({ sort: 'urgent', status: 'closed' }).success).toBe(false);
    expect(listQuerySchema.safeParse({ sort: 'newest', status: 'closed' }).success).toBe(true);
    expect(listQuerySchema.safeParse({ sort: 'urgent', status: 'decided' }).success).toBe(true);
  });
});

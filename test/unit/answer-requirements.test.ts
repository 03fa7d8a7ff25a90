import { completeAnswer, MAX_PAYMENT_DAYS } from '../../lambdas/core/answer-requirements';
import { acknowledgementDuty } from '../../lambdas/core/acknowledgement-duty';
import { adrStatementText, parseCompanyProfile, InvalidCompanyProfile, type CompanyProfile } from '../../lambdas/core/company-profile';
import { decisionRequestSchema } from '../../lambdas/core/staff-requests';
import { loadPolicyRegistry } from '../../lambdas/core/policy-config';
import { loadCompanyProfile } from '../../lambdas/adapters/company-profile-file';

// One test per statutory rule about what an answer carries, named after the article it enforces.

const registry = loadPolicyRegistry();
const policy = (id: string) => registry.policyFor(id);
const company = loadCompanyProfile();
const today = '2026-11-30';
const customer = { language: 'pl' as const, answerByEmail: undefined };
const fields = (issues: { field: string }[]) => issues.map((issue) => issue.field);

const answer = (policyId: string, draft: object, options: { company?: CompanyProfile; answerByEmail?: boolean } = {}) =>
  completeAnswer(policy(policyId), decisionRequestSchema.parse({ version: 1, ...draft }), {
    company: options.company ?? company,
    complaint: { ...customer, answerByEmail: options.answerByEmail },
    today,
  });

const financialSigner = { signerName: 'Jan Nowak', signerPosition: 'Kierownik Zespołu Reklamacji' };
const consumerPolicies = ['consumer', 'guarantee', 'telecom', 'energy', 'financial'];
const noAdr: CompanyProfile = { ...company, adr: undefined };

describe('the company profile (config/company.json)', () => {
  it('parses the committed demo file', () => {
    expect(company.adr?.agrees).toBe(true);
    expect(company.appealRoutes?.lawsuit.defendant).toContain('Sklep Przykładowy');
  });

  it('fails fast naming the field when a company agrees to ADR but names no body', () => {
    expect(() => parseCompanyProfile({ ...company, adr: { agrees: true, bodies: [] } }, 'company.json')).toThrow(InvalidCompanyProfile);
    expect(() => parseCompanyProfile({ ...company, adr: { agrees: true, bodies: [] } }, 'company.json')).toThrow(
      'company.json is not a valid company file: adr.bodies',
    );
  });
});

describe('art. 32 of the ADR act: the out-of-court dispute statement', () => {
  it.each(
    consumerPolicies.flatMap((id) => [
      [id, 'rejected'],
      [id, 'partly_accepted'],
    ]),
  )('under the %s policy, a %s answer without any ADR statement is refused naming adrStatement', (id, outcome) => {
    const { issues } = answer(
      id,
      {
        outcome,
        remedy: 'refund',
        paymentDueBy: '2026-12-10',
        paymentAmount: '10 zł',
        paymentMethod: 'przelew',
        justification: 'Powody.',
        appealRoutes: undefined,
        ...financialSigner,
      },
      { company: { ...noAdr, appealRoutes: company.appealRoutes } },
    );
    expect(fields(issues)).toContain('adrStatement');
  });

  it.each(consumerPolicies)('under the %s policy, the company statement is used by default, and the answer carries it', (id) => {
    const { decision, issues } = answer(id, {
      outcome: 'partly_accepted',
      remedy: 'repair',
      justification: 'Tylko pokrywa jest wadliwa.',
      ...financialSigner,
    });
    expect(fields(issues)).not.toContain('adrStatement');
    expect(decision.adrStatement).toBe(adrStatementText(company.adr!, 'pl'));
    expect(decision.adrStatement).toContain('Wyrażamy zgodę');
  });

  it('a statement given with the decision overrides the company one', () => {
    const own = 'Nie wyrażamy zgody na pozasądowe rozwiązywanie sporów konsumenckich w tej sprawie.';
    expect(answer('consumer', { outcome: 'rejected', justification: 'Uszkodzenie mechaniczne.', adrStatement: own }).decision.adrStatement).toBe(own);
  });

  it('states a refusal as a refusal, in the customer language', () => {
    expect(adrStatementText({ agrees: false, bodies: [] }, 'pl')).toContain('Nie wyrażamy zgody');
    expect(adrStatementText({ agrees: false, bodies: [] }, 'en')).toContain('We do not agree');
  });

  it('does not ask payment services (customers may be businesses) for one', () => {
    expect(policy('payment_services').answerMustContain).not.toContain('adr_statement_if_not_accepted');
  });
});

describe('art. 10 of the act of 5 August 2015: appeal routes of a financial answer', () => {
  const rejected = { outcome: 'rejected', justification: 'Transakcja autoryzowana kodem SMS.', ...financialSigner };

  it.each(['rejected', 'partly_accepted'])('a %s answer names every route the company offers, with the defendant and the court', (outcome) => {
    const { decision, issues } = answer('financial', { ...rejected, outcome, remedy: 'repair' });
    expect(issues).toEqual([]);
    expect(decision.appealRoutes).toEqual(['internal_review', 'financial_ombudsman', 'lawsuit']);
    expect(decision.appealRouteTexts!.join('\n')).toContain('Rzecznika Finansowego');
    expect(decision.appealRouteTexts!.join('\n')).toContain('Pozwanym jest Sklep Przykładowy sp. z o.o.');
    expect(decision.appealRouteTexts!.join('\n')).toContain('sądem właściwym jest');
  });

  it('refuses free text such as "x" with 422 naming the field', () => {
    const parsed = decisionRequestSchema.safeParse({ ...rejected, version: 1, appealRoutes: ['x'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['appealRoutes', 0]);
  });

  it('refuses a route the company does not offer (mediation) and one that leaves a real route out', () => {
    expect(
      fields(answer('financial', { ...rejected, appealRoutes: ['mediation', 'financial_ombudsman', 'lawsuit', 'internal_review'] }).issues),
    ).toEqual(['appealRoutes.0']);
    const missing = answer('financial', { ...rejected, appealRoutes: ['financial_ombudsman'] }).issues;
    expect(missing).toEqual([{ field: 'appealRoutes', message: expect.stringContaining('also internal_review, lawsuit') }]);
  });

  it('refuses the answer when the company profile configures no appeal routes', () => {
    expect(fields(answer('financial', rejected, { company: { ...company, appealRoutes: undefined } }).issues)).toEqual(['appealRoutes']);
  });

  it('asks nothing of a fully accepted answer', () => {
    expect(answer('financial', { outcome: 'accepted', remedy: 'repair', ...financialSigner }).issues).toEqual([]);
  });
});

describe('art. 9 of the act of 5 August 2015: justification, signer, payment date', () => {
  it('a partly accepted answer carries the justification and the name and position of the person answering', () => {
    expect(fields(answer('financial', { outcome: 'partly_accepted', remedy: 'repair' }).issues)).toEqual([
      'justification',
      'signerName',
      'signerPosition',
    ]);
  });

  it(`an accepted payment states the date it will be paid by, at most ${MAX_PAYMENT_DAYS} days on`, () => {
    const refund = { outcome: 'accepted', remedy: 'refund', ...financialSigner };
    expect(fields(answer('financial', refund).issues)).toEqual(['paymentDueBy']);
    expect(answer('financial', { ...refund, paymentDueBy: '2026-12-30' }).issues).toEqual([]);
    expect(answer('financial', { ...refund, paymentDueBy: '2026-12-31' }).issues[0]!.message).toContain('2026-12-30 at the latest');
    expect(fields(answer('financial', { ...refund, paymentDueBy: '2026-11-29' }).issues)).toEqual(['paymentDueBy']);
  });

  it('a repair pays no money, so needs no payment date', () => {
    expect(answer('financial', { outcome: 'accepted', remedy: 'repair', ...financialSigner }).issues).toEqual([]);
  });
});

describe('art. 5(2) of the act of 5 August 2015: paper unless the customer asked for e-mail', () => {
  const accepted = { outcome: 'accepted', remedy: 'repair', ...financialSigner };

  it.each([
    [undefined, 'post'],
    [false, 'post'],
    [true, 'email'],
  ])('a financial answer when answerByEmail is %s goes by %s', (answerByEmail, delivery) => {
    expect(answer('financial', accepted, { answerByEmail }).decision.delivery).toBe(delivery);
  });

  it('other policies answer by e-mail (a durable medium, art. 7a of the consumer act)', () => {
    expect(answer('consumer', { outcome: 'accepted', remedy: 'repair' }).decision.delivery).toBe('email');
  });
});

describe('§1(2) of the 2025 telecom complaint regulation (verify): the prescribed answer elements', () => {
  it('a rejection carries the grounds, the signer and the ADR statement', () => {
    expect(fields(answer('telecom', { outcome: 'rejected' }, { company: noAdr }).issues)).toEqual([
      'justification',
      'signerName',
      'signerPosition',
      'adrStatement',
    ]);
  });

  it('an accepted credit states the amount and how it is paid or credited', () => {
    const credit = { outcome: 'accepted', remedy: 'price_reduction', ...financialSigner };
    expect(fields(answer('telecom', credit).issues)).toEqual(['paymentAmount', 'paymentMethod']);
    expect(answer('telecom', { ...credit, paymentAmount: '49,99 zł', paymentMethod: 'zaliczenie na poczet najbliższej faktury' }).issues).toEqual([]);
  });
});

describe('the telecom acknowledgement of receipt (Dz.U. 2025 poz. 1371, verify)', () => {
  const telecom = policy('telecom');
  const ack = (sentAt: string) => ({ messageId: 'm-1', sentAt });

  it('in person: at once, so on the day of receipt', () => {
    expect(acknowledgementDuty(telecom, { channel: 'in_person', receivedOn: '2026-11-20' })).toEqual({ dueBy: '2026-11-20' });
    const late = acknowledgementDuty(telecom, { channel: 'in_person', receivedOn: '2026-11-20', acknowledgement: ack('2026-11-23T08:00:00Z') });
    expect(late).toEqual({ dueBy: '2026-11-20', metOn: '2026-11-23', how: 'email' });
  });

  it.each(['letter', 'phone', 'email'] as const)('by %s: within 14 days (received 2026-11-20, due 2026-12-04)', (channel) => {
    expect(acknowledgementDuty(telecom, { channel, receivedOn: '2026-11-20' })!.dueBy).toBe('2026-12-04');
  });

  it('records how it was given: the earliest of the e-mail and one given by hand', () => {
    const duty = acknowledgementDuty(telecom, {
      channel: 'in_person',
      receivedOn: '2026-11-20',
      acknowledgement: ack('2026-11-21T08:00:00Z'),
      acknowledgedOffline: { on: '2026-11-20', how: 'handed_over', recordedAt: '2026-11-21T09:00:00Z', recordedBy: 'x' },
    });
    expect(duty).toEqual({ dueBy: '2026-11-20', metOn: '2026-11-20', how: 'handed_over' });
  });

  it('is no duty under a policy without one', () => {
    expect(acknowledgementDuty(policy('consumer'), { channel: 'letter', receivedOn: '2026-11-20' })).toBeUndefined();
  });
});

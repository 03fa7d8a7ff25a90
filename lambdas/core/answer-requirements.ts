import type * as z from './zod';
import type { Complaint, decisionSchema, storedDecisionSchema } from './complaint';
import type { FieldIssue } from './errors';
import type { DeadlinePolicy } from './deadline-policy';
import { addCalendarDays, type CalendarDate } from './calendar/calendar-date';
import { adrStatementText, appealRouteText, offeredAppealRoutes, type CompanyProfile } from './company-profile';

type DecisionDraft = z.infer<typeof decisionSchema>;
type CompletedDecision = Omit<z.infer<typeof storedDecisionSchema>, 'decidedAt' | 'decidedBy'>;

/** Art. 9 of the act of 5 August 2015: a payment the answer accepts is made within at most 30 days. */
export const MAX_PAYMENT_DAYS = 30;

const notFullyAccepted = (decision: DecisionDraft) => decision.outcome !== 'accepted';

/** Money changes hands: a refund or a price reduction the answer grants, in full or in part. */
export const paysMoney = (decision: DecisionDraft) =>
  decision.outcome !== 'rejected' && (decision.remedy === 'refund' || decision.remedy === 'price_reduction');

/**
 * What an answer must carry before it may be sent (domain.md, "What an answer must carry"), as the policy's
 * `answerMustContain` lists it. A rejection is never sendable without a justification. "Not accepted" is
 * rejected or partly accepted alike: art. 32 of the ADR act and art. 10 of the act of 5 August 2015 both speak
 * of claims not accepted in full. The ADR statement and the appeal routes come from the company's
 * configuration unless the decision gives its own, so these checks also fail when the configuration lacks them.
 */
export function completeAnswer(
  policy: Pick<DeadlinePolicy, 'answerMustContain' | 'answerByEmailOnlyOnRequest'>,
  draft: DecisionDraft,
  context: {
    company: CompanyProfile;
    complaint: Pick<Complaint, 'language' | 'answerByEmail'> & { customer?: Pick<Complaint['customer'], 'email'> };
    today: CalendarDate;
  },
): { decision: CompletedDecision; issues: FieldIssue[] } {
  const required = new Set(policy.answerMustContain);
  const { company, complaint, today } = context;
  const issues: FieldIssue[] = [];
  const decision: CompletedDecision = { ...draft };

  if ((draft.outcome === 'rejected' || (notFullyAccepted(draft) && required.has('justification_if_not_met'))) && !draft.justification) {
    issues.push({ field: 'justification', message: 'is required when the demand is not met in full' });
  }
  if (required.has('signer_name_and_position')) {
    if (!draft.signerName) issues.push({ field: 'signerName', message: 'is required by this policy (the name of the person answering)' });
    if (!draft.signerPosition) issues.push({ field: 'signerPosition', message: 'is required by this policy (the position of the person answering)' });
  }
  if (draft.outcome !== 'rejected' && !draft.remedy) {
    issues.push({ field: 'remedy', message: 'is required when the complaint is accepted, fully or in part' });
  }

  // Art. 32 of the ADR act: the consumer is told whether the trader agrees to ADR, and before which body. The
  // answer of a consumer policy always carries the statement; it must be there whenever not fully accepted.
  if (required.has('adr_statement_if_not_accepted')) {
    decision.adrStatement = draft.adrStatement ?? (company.adr ? adrStatementText(company.adr, complaint.language) : undefined);
    if (notFullyAccepted(draft) && !decision.adrStatement) {
      issues.push({
        field: 'adrStatement',
        message:
          'a consumer complaint not fully accepted must state whether the company agrees to out-of-court dispute resolution (art. 32 of the ADR act); the company profile states none',
      });
    }
  }

  // Art. 10 of the act of 5 August 2015: the routes that really exist, each with its details, no free text.
  if (draft.appealRoutes !== undefined || (required.has('appeal_routes_if_not_accepted') && notFullyAccepted(draft))) {
    const routes = company.appealRoutes;
    if (!routes) {
      issues.push({ field: 'appealRoutes', message: 'the company profile (config/company.json) configures no appeal routes' });
    } else {
      const offered = offeredAppealRoutes(routes);
      const named = draft.appealRoutes ?? offered;
      named.forEach((route, i) => {
        if (!offered.includes(route))
          issues.push({ field: `appealRoutes.${i}`, message: `the company offers no ${route} (offered: ${offered.join(', ')})` });
      });
      const left = offered.filter((route) => !named.includes(route));
      if (required.has('appeal_routes_if_not_accepted') && left.length > 0) {
        issues.push({ field: 'appealRoutes', message: `must name every route the company offers (art. 10): also ${left.join(', ')}` });
      }
      decision.appealRoutes = named;
      decision.appealRouteTexts = named.filter((route) => offered.includes(route)).map((route) => appealRouteText(routes, route, complaint.language));
    }
  }

  if (paysMoney(draft) && required.has('payment_date_if_paying')) {
    const latest = addCalendarDays(today, MAX_PAYMENT_DAYS);
    if (!draft.paymentDueBy) {
      issues.push({ field: 'paymentDueBy', message: `an accepted payment must state the date it will be paid by (art. 9), at the latest ${latest}` });
    } else if (draft.paymentDueBy > latest) {
      issues.push({ field: 'paymentDueBy', message: `must be at most ${MAX_PAYMENT_DAYS} days from the answer (art. 9): ${latest} at the latest` });
    } else if (draft.paymentDueBy < today) {
      issues.push({ field: 'paymentDueBy', message: 'cannot be in the past' });
    }
  }
  if (paysMoney(draft) && required.has('payment_amount_and_method_if_paying')) {
    if (!draft.paymentAmount) issues.push({ field: 'paymentAmount', message: 'an accepted payment or credit must state the amount' });
    if (!draft.paymentMethod) issues.push({ field: 'paymentMethod', message: 'an accepted payment or credit must state how it is paid or credited' });
  }

  // Art. 5(2) of the act of 5 August 2015: on paper unless the customer asked for e-mail. And on paper when
  // no e-mail address is known (a shop that could not tell it): staff print the letter and post it.
  const noAddress = complaint.customer !== undefined && complaint.customer.email === undefined;
  decision.delivery = noAddress || (policy.answerByEmailOnlyOnRequest && complaint.answerByEmail !== true) ? 'post' : 'email';
  return { decision, issues };
}

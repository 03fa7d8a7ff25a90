import type { z } from 'zod';
import type { decisionSchema } from './complaint';
import type { FieldIssue } from './errors';
import type { DeadlinePolicy } from './deadline-policy';

type DecisionDraft = z.infer<typeof decisionSchema>;

/**
 * What an answer must carry before it may be sent (domain.md, "What an answer must carry"). A rejection is
 * never sendable without a justification; the rest depends on the policy: a consumer rejection states the
 * trader's position on out-of-court dispute resolution (art. 32 of the ADR act), a financial answer carries
 * the justification when the demand is not met, the signer's name and position, and the appeal routes when
 * rejecting (art. 9 of the act of 5 August 2015).
 */
export function missingAnswerElements(policy: Pick<DeadlinePolicy, 'answerMustContain'>, decision: DecisionDraft): FieldIssue[] {
  const notMet = decision.outcome !== 'accepted';
  const rejected = decision.outcome === 'rejected';
  const required = new Set(policy.answerMustContain);
  const missing: FieldIssue[] = [];
  if ((rejected || (notMet && required.has('justification_if_not_met'))) && !decision.justification) {
    missing.push({ field: 'justification', message: 'is required when the demand is not met in full' });
  }
  if (required.has('signer_name_and_position')) {
    if (!decision.signerName) missing.push({ field: 'signerName', message: 'is required by this policy' });
    if (!decision.signerPosition) missing.push({ field: 'signerPosition', message: 'is required by this policy' });
  }
  if (rejected && required.has('appeal_routes_if_rejected') && !decision.appealRoutes?.length) {
    missing.push({ field: 'appealRoutes', message: 'a rejection under this policy must name the appeal routes' });
  }
  if (rejected && required.has('adr_statement_if_rejected') && !decision.adrStatement) {
    missing.push({ field: 'adrStatement', message: 'a consumer rejection must state whether the company agrees to out-of-court dispute resolution' });
  }
  if (decision.outcome !== 'rejected' && !decision.remedy) {
    missing.push({ field: 'remedy', message: 'is required when the complaint is accepted, fully or in part' });
  }
  return missing;
}

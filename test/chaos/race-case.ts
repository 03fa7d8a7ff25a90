import type { CaseResult } from './chaos-report';
import { fileUntilAnswered, orderNumberOf } from './intake-clients';
import { storedComplaints, type ProductUrls } from './product-state';

/**
 * `ways` clients send the same complaint under one Idempotency-Key at the same moment. One complaint is
 * stored; every client ends with the same answer (a 409 on the way carries Retry-After, and the retry after it
 * gets the answer).
 */
export async function idempotencyRace(urls: ProductUrls, ways: number): Promise<CaseResult> {
  const key = `race-${Date.now().toString(36)}`;
  const deadline = Date.now() + 60_000;
  const outcomes = await Promise.all(Array.from({ length: ways }, () => fileUntilAnswered(() => urls.api, key, deadline)));
  const stored = (await storedComplaints(urls.dynamodb)).filter((complaint) => complaint.orderNumber === orderNumberOf(key));
  const answered = outcomes.flatMap((outcome) => (outcome.final ? [outcome.final] : []));
  const ids = new Set([...answered.map((answer) => answer.id), ...stored.map((complaint) => complaint.id)]);
  const storedIds = new Set(stored.map((complaint) => complaint.id));
  const failures: string[] = [];
  const unanswered = outcomes.length - answered.length;
  if (unanswered > 0)
    failures.push(
      `${unanswered} client(s) never got an answer: ${outcomes
        .flatMap((outcome) => outcome.unexpected)
        .slice(0, 3)
        .join('; ')}`,
    );
  const lost = unanswered + answered.filter((answer) => !storedIds.has(answer.id)).length;
  if (ids.size > 1) failures.push(`${ids.size} different complaints for one key (${stored.length} stored)`);
  const distinctAnswers = new Set(answered.map((answer) => `${answer.id} ${answer.reference}`));
  if (distinctAnswers.size > 1) failures.push(`${distinctAnswers.size} different answers`);
  const serverErrors = outcomes.reduce((sum, outcome) => sum + outcome.serverErrors, 0);
  if (serverErrors > 0) failures.push(`${serverErrors} answer(s) with a 5xx status`);
  const conflicts = outcomes.reduce((sum, outcome) => sum + outcome.conflicts, 0);
  const withoutRetryAfter = outcomes.reduce((sum, outcome) => sum + outcome.conflictsWithoutRetryAfter, 0);
  if (withoutRetryAfter > 0) failures.push(`${withoutRetryAfter} of ${conflicts} 409 answers without Retry-After`);
  const created = answered.filter((answer) => !answer.replayed).length;
  if (created !== 1) failures.push(`${created} answers say they created the complaint (the rest should be replays)`);
  return {
    name: `${ways}-way Idempotency-Key race`,
    tried: ways,
    lost,
    duplicated: Math.max(0, ids.size - 1),
    serverErrors,
    failures,
    notes: [`${created} created, ${answered.length - created} replayed, ${conflicts} 409 on the way`],
  };
}

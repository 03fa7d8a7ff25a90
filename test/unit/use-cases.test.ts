import { readConfigFile } from '../../lambdas/adapters/config-files';
import { EmailTemporarilyUnavailable } from '../../lambdas/adapters/mailer';
import { EarlierRequestUnfinished } from '../../lambdas/core/errors';
import { loadPolicyRegistry } from '../../lambdas/core/policy-config';
import { supervisor } from '../support/staff-members';
import type { Mailer, OutgoingEmail } from '../../lambdas/use-cases/ports';
import {
  addNote,
  recordDecision,
  recordDecisionPosting,
  requestExtension,
  requestInformation,
  type StaffPorts,
} from '../../lambdas/use-cases/staff-actions';
import { computeInternalTarget } from '../../lambdas/core/deadline-policy';
import { alertBouncedAnswer } from '../../lambdas/use-cases/bounced-answer';
import { keyedStaffWrite } from '../../lambdas/use-cases/staff-idempotency';
import { submitPublicForm } from '../../lambdas/use-cases/submit-complaint';
import { advanceComplaint, type StepPorts } from '../../lambdas/use-cases/workflow-steps';
import { replyToInformationRequest, type CustomerReplyPorts } from '../../lambdas/use-cases/customer-reply';
import { NoQuestionToAnswer } from '../../lambdas/core/customer-status';
import { inMemoryComplaints, inMemorySendClaims } from '../support/in-memory-complaints';
import { validComplaint } from '../support/local-product';

// The use cases with in-memory fakes of their ports (lambdas/use-cases/ports.ts): no DynamoDB, no SES, no
// Step Functions, and "now" pinned.

const NOW = new Date('2026-11-23T09:00:00Z');

function world() {
  const store = inMemoryComplaints();
  const sent: OutgoingEmail[] = [];
  /** Calls (1 = the next) that SES answers with throttling. */
  const refusedCalls = new Set<number>();
  let calls = 0;
  const mailer: Mailer = {
    async send(email) {
      calls += 1;
      if (refusedCalls.has(calls)) throw new EmailTemporarilyUnavailable('throttled');
      sent.push(email);
      return `message-${sent.length}`;
    },
  };
  const woken: string[] = [];
  const ports: StepPorts & StaffPorts = {
    complaints: store.repository,
    sendClaims: inMemorySendClaims().port,
    mailer,
    policies: loadPolicyRegistry('consumer'),
    departments: readConfigFile('departments'),
    waker: { wake: async (token) => void woken.push(token) },
    now: () => NOW,
    companyName: 'Sklep Testowy',
    company: readConfigFile('company'),
  };
  let ids = 0;
  const file = async () =>
    (
      await submitPublicForm(validComplaint, undefined, {
        ...ports,
        newId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
        newReference: () => `RK-TEST0-0000${ids}`,
      })
    ).receipt;
  return { ports, sent, woken, store, file, refuseCall: (call: number) => refusedCalls.add(calls + call) };
}

describe('advancing a complaint (the workflow step)', () => {
  it('acknowledges, assigns and tells the department, one e-mail each, then waits for the first reminder', async () => {
    const { ports, sent, file, store } = world();
    const { id } = await file();
    const rest = await advanceComplaint(id, ports);
    expect(rest).toMatchObject({ action: 'wait' });
    expect(sent.map((email) => email.to)).toEqual([validComplaint.customer.email, expect.stringMatching(/@/)]);
    // The department's notice is recorded with the assignment, in its entry: no entry of its own.
    expect(store.historyOf(id).map((entry) => entry.action)).toEqual(['complaint_received', 'acknowledgement_sent', 'department_assigned']);
    const stored = await ports.complaints.get(id);
    expect(stored?.status).toBe('assigned');
    expect(stored?.departmentNotified?.departmentId).toBe(stored?.assignment?.departmentId);
    expect(store.historyOf(id)[2]?.after).toMatchObject({ notified: { messageId: stored?.departmentNotified?.messageId } });
  });

  it('sends nothing a second time when the step runs again', async () => {
    const { ports, sent, file } = world();
    const { id } = await file();
    await advanceComplaint(id, ports);
    await advanceComplaint(id, ports);
    expect(sent).toHaveLength(2);
  });

  it("after SES refused the department's notice, records the acknowledgement and the routing, then sends the notice once", async () => {
    const { ports, sent, file, refuseCall, store } = world();
    const { id } = await file();
    refuseCall(2); // the department's e-mail, after the acknowledgement went out
    await advanceComplaint(id, ports);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.to).toBe(validComplaint.customer.email);
    expect(sent[1]!.to).not.toBe(validComplaint.customer.email);
    expect(store.historyOf(id).map((entry) => entry.action)).toEqual([
      'complaint_received',
      'acknowledgement_sent',
      'department_assigned',
      'department_notified',
    ]);
    await advanceComplaint(id, ports);
    expect(sent).toHaveLength(2);
  });
});

/** The first `count` history actions after complaint_received. */
const actionsAfterReceipt = (store: ReturnType<typeof inMemoryComplaints>, id: string, count: number) =>
  store
    .historyOf(id)
    .map((entry) => entry.action)
    .slice(1, 1 + count);

describe('acknowledging with the routing in the same change', () => {
  it("records the acknowledgement, the department and the department's notice in one write, in that order", async () => {
    const { ports, file, store } = world();
    const { id } = await file();
    const writes: number[] = [];
    const record = ports.complaints.record.bind(ports.complaints);
    ports.complaints = { ...ports.complaints, record: (complaintId, ...facts) => (writes.push(facts.length), record(complaintId, ...facts)) };
    await advanceComplaint(id, ports);
    expect(writes).toEqual([2]);
    expect(actionsAfterReceipt(store, id, 2)).toEqual(['acknowledgement_sent', 'department_assigned']);
  });

  it("records the acknowledgement alone when the routing no longer applies, and sends nothing twice (the department's notice included)", async () => {
    const { ports, sent, file, store } = world();
    const { id } = await file();
    const record = ports.complaints.record.bind(ports.complaints);
    // Staff moved the complaint on between the plan and the record: the combined write is refused.
    ports.complaints = {
      ...ports.complaints,
      record: (complaintId, fact, ...together) => (together.length > 0 ? Promise.resolve(false) : record(complaintId, fact)),
    };
    await advanceComplaint(id, ports);
    const stored = await ports.complaints.get(id);
    expect(stored?.acknowledgement).toBeDefined();
    expect(stored?.assignment).toBeDefined();
    expect(sent.filter((email) => email.to === validComplaint.customer.email)).toHaveLength(1);
    // The notice sent for the refused routing is found on its claim when the workflow routes again: not sent twice.
    expect(sent.filter((email) => email.to !== validComplaint.customer.email)).toHaveLength(1);
    expect(stored?.departmentNotified?.departmentId).toBe(stored?.assignment?.departmentId);
    expect(actionsAfterReceipt(store, id, 2)).toEqual(['acknowledgement_sent', 'department_assigned']);
  });
});

describe('staff actions', () => {
  it('records a decision made on the current version and wakes the waiting workflow', async () => {
    const { ports, file, woken } = world();
    const { id } = await file();
    await advanceComplaint(id, ports);
    await ports.complaints.storeWait(id, { taskToken: 'token-1', plannedVersion: 1, since: NOW.toISOString() });
    const decided = await recordDecision(id, { outcome: 'accepted', remedy: 'replacement', version: 1 }, supervisor, ports);
    expect(decided).toMatchObject({ status: 'decided', version: 2, decision: { outcome: 'accepted', decidedBy: supervisor.id } });
    expect(woken).toEqual(['token-1']);
  });

  it('refuses a decision on a stale version (409) and a second decision, changing nothing', async () => {
    const { ports, file, store } = world();
    const { id } = await file();
    await recordDecision(id, { outcome: 'accepted', remedy: 'replacement', version: 1 }, supervisor, ports);
    await expect(recordDecision(id, { outcome: 'accepted', remedy: 'refund', version: 1 }, supervisor, ports)).rejects.toMatchObject({
      name: 'VersionConflict',
    });
    await expect(recordDecision(id, { outcome: 'accepted', remedy: 'refund', version: 2 }, supervisor, ports)).rejects.toMatchObject({
      name: 'VersionConflict',
    });
    expect((await ports.complaints.get(id))?.decision?.remedy).toBe('replacement');
    expect(store.historyOf(id).filter((entry) => entry.action === 'decision_recorded')).toHaveLength(1);
  });

  it('adds a note to the history without touching the complaint', async () => {
    const { ports, file, store } = world();
    const { id } = await file();
    await addNote(id, { text: 'Klient dzwonił.' }, supervisor, ports);
    expect(store.historyOf(id).at(-1)).toMatchObject({ actor: supervisor.id, action: 'note_added', after: { text: 'Klient dzwonił.' } });
  });
});

/** Which record of the complaint each e-mail sent is for (its send-once attempt's). */
const records = (sent: OutgoingEmail[]) => sent.map((email) => email.attempt?.record ?? 'untracked');

describe('an answer that comes too late (the term ran out, and silence has a legal effect)', () => {
  // Filed Monday 2026-11-23 under the consumer policy: due 2026-12-07, whose end is 23:00 UTC (midnight in Warsaw).
  const lastEvening = new Date('2026-12-07T22:00:00Z');
  const nextMorning = new Date('2026-12-08T04:00:00Z');

  it('a decision recorded after the end of the term is refused (409 term-ended), changing nothing', async () => {
    const { ports, file, store } = world();
    const { id } = await file();
    await advanceComplaint(id, ports);
    ports.now = () => nextMorning;
    const late = recordDecision(id, { outcome: 'rejected', justification: 'Wada powstała z winy użytkownika.', version: 1 }, supervisor, ports);
    await expect(late).rejects.toMatchObject({ name: 'TermEnded', status: 409, type: 'term-ended' });
    await expect(late).rejects.toThrow(/ended with 2026-12-07 .* deemed accepted/);
    const stored = await ports.complaints.get(id);
    expect(stored).toMatchObject({ status: 'assigned', version: 1 });
    expect(stored?.decision).toBeUndefined();
    expect(store.historyOf(id).map((entry) => entry.action)).not.toContain('decision_recorded');
  });

  it('a decision SES would not take until after the term is not sent: the complaint is deemed accepted, and both sides are told', async () => {
    const { ports, file, sent, refuseCall } = world();
    const { id } = await file();
    await advanceComplaint(id, ports);
    ports.now = () => lastEvening;
    await recordDecision(id, { outcome: 'rejected', justification: 'Wada powstała z winy użytkownika.', version: 1 }, supervisor, ports);
    refuseCall(1);
    await expect(advanceComplaint(id, ports)).rejects.toMatchObject({ name: 'EmailTemporarilyUnavailable' });

    ports.now = () => nextMorning; // the workflow's retry, after midnight
    const rest = await advanceComplaint(id, ports);
    expect(rest).toMatchObject({ action: 'finish', why: 'the deadline passed: deemed_accepted' });
    const stored = await ports.complaints.get(id);
    expect(stored).toMatchObject({ status: 'deemed_accepted', deadlinePassed: { effect: 'deemed_accepted' } });
    expect(stored?.decisionSent).toBeUndefined();
    expect(records(sent).slice(2)).toEqual(['deadlinePassed.supervisorAlerted', 'deadlinePassed.customerNotified']);
  });

  it('a decision sent on the last day is the answer, and nothing else follows', async () => {
    const { ports, file, sent } = world();
    const { id } = await file();
    await advanceComplaint(id, ports);
    ports.now = () => lastEvening;
    await recordDecision(id, { outcome: 'accepted', remedy: 'replacement', version: 1 }, supervisor, ports);
    expect(await advanceComplaint(id, ports)).toMatchObject({ action: 'finish', why: 'the decision was sent to the customer' });
    ports.now = () => nextMorning;
    expect(await advanceComplaint(id, ports)).toMatchObject({ action: 'finish' });
    expect(records(sent).slice(2)).toEqual(['decisionSent']);
    expect(await ports.complaints.get(id)).toMatchObject({ status: 'closed' });
  });
});

describe('a printed answer (financial: on paper unless the customer asked for e-mail)', () => {
  // Filed Monday 2026-11-23: due Wednesday 2026-12-23. The next working day is Monday 2026-12-28 (24-27 December
  // are holidays or a Sunday), so a posting may be recorded until its end.
  const financialWorld = async () => {
    const w = world();
    w.ports.policies = loadPolicyRegistry('financial');
    const { id } = await w.file();
    await advanceComplaint(id, w.ports);
    w.ports.now = () => new Date('2026-12-20T10:00:00Z');
    const signer = { signerName: 'Ewa Nowak', signerPosition: 'Kierownik reklamacji' };
    await recordDecision(id, { outcome: 'accepted', remedy: 'repair', ...signer, version: 1 }, supervisor, w.ports);
    return { ...w, id };
  };

  it('posted on the last day and recorded after the holidays, it is the answer: no effect of silence', async () => {
    const { ports, id, sent } = await financialWorld();
    ports.now = () => new Date('2026-12-24T10:00:00Z');
    expect(await advanceComplaint(id, ports)).toMatchObject({ action: 'wait', wakeAt: '2026-12-28T23:00:00.000Z' });
    ports.now = () => new Date('2026-12-28T09:00:00Z');
    const posted = await recordDecisionPosting(id, { postedOn: '2026-12-23', version: 2 }, supervisor, ports);
    expect(posted).toMatchObject({ status: 'closed', decisionPosted: { withinTerm: true } });
    expect(await advanceComplaint(id, ports)).toMatchObject({ action: 'finish', why: 'the printed decision was posted to the customer' });
    expect(records(sent).filter((record) => record.startsWith('deadlinePassed'))).toEqual([]);
  });

  it('posted after the last day, it is no answer: the complaint stays open until the workflow applies the effect', async () => {
    const { ports, id } = await financialWorld();
    ports.now = () => new Date('2026-12-28T09:00:00Z');
    const posted = await recordDecisionPosting(id, { postedOn: '2026-12-24', version: 2 }, supervisor, ports);
    expect(posted).toMatchObject({ status: 'decided', decisionPosted: { withinTerm: false } });
    expect(await advanceComplaint(id, ports)).toMatchObject({
      action: 'finish',
      why: 'the letter was posted too late (2026-12-24): deemed_resolved_for_customer',
    });
    expect(await ports.complaints.get(id)).toMatchObject({ status: 'deemed_resolved_for_customer' });
  });

  it('a posting recorded after the effect was applied keeps the effect: the record holds both', async () => {
    const { ports, id } = await financialWorld();
    ports.now = () => new Date('2026-12-29T09:00:00Z');
    expect(await advanceComplaint(id, ports)).toMatchObject({ action: 'finish', why: 'the letter was not posted: deemed_resolved_for_customer' });
    const { version } = (await ports.complaints.get(id))!;
    const posted = await recordDecisionPosting(id, { postedOn: '2026-12-23', version }, supervisor, ports);
    expect(posted).toMatchObject({ status: 'deemed_resolved_for_customer', decisionPosted: { postedOn: '2026-12-23', withinTerm: true } });
  });
});

describe('an extension (financial, art. 7): the longer term holds only with its notice sent within the ordinary one', () => {
  // Filed Monday 2026-11-23: the ordinary term ends with Wednesday 2026-12-23 (23:00 UTC), the extended one with 2027-01-22.
  const financialWorld = async () => {
    const w = world();
    w.ports.policies = loadPolicyRegistry('financial');
    const { id } = await w.file();
    await advanceComplaint(id, w.ports);
    return { ...w, id };
  };
  const reason = { reason: 'Czekamy na dane od operatora kart.', stillToEstablish: 'Czy transakcja została autoryzowana.' };

  it('moves the internal target with the due date', async () => {
    const { ports, id } = await financialWorld();
    const before = (await ports.complaints.get(id))!;
    const extended = await requestExtension(id, { ...reason, version: 1 }, supervisor, ports);
    expect(extended.responseDueBy).not.toBe(before.responseDueBy);
    expect(extended.internalTarget).toBe(computeInternalTarget(ports.policies.policyFor('financial'), extended.responseDueBy));
  });

  it('lapses when SES would not take the notice until after the ordinary term: the ordinary term ends with its effect', async () => {
    const { ports, id, sent, refuseCall } = await financialWorld();
    ports.now = () => new Date('2026-12-23T22:30:00Z'); // 23:30 in Warsaw, the last day
    await requestExtension(id, { ...reason, version: 1 }, supervisor, ports);
    refuseCall(1);
    await expect(advanceComplaint(id, ports)).rejects.toMatchObject({ name: 'EmailTemporarilyUnavailable' });

    ports.now = () => new Date('2026-12-24T06:00:00Z');
    expect(await advanceComplaint(id, ports)).toMatchObject({ action: 'finish', why: 'the deadline passed: deemed_resolved_for_customer' });
    const stored = (await ports.complaints.get(id))!;
    expect(stored).toMatchObject({
      status: 'deemed_resolved_for_customer',
      responseDueBy: '2026-12-23',
      extension: { lapsedAt: '2026-12-24T06:00:00.000Z' },
    });
    expect(stored.extension?.noticeSent).toBeUndefined();
    expect(records(sent).slice(2)).toEqual(['deadlinePassed.supervisorAlerted', 'deadlinePassed.customerNotified']);
  });

  it('is refused (409) for a customer with no e-mail address, whom the notice cannot reach, changing nothing', async () => {
    const { ports, id } = await financialWorld();
    // As a shop's complaint whose customer the platform could not tell.
    const { version } = await ports.complaints.applyStaffChange({
      id,
      set: { customer: { name: 'Anna Kowalska' } },
      entry: { at: NOW.toISOString(), actor: 'workflow', action: 'platform_lookup_failed' },
    });
    await expect(requestExtension(id, { ...reason, version }, supervisor, ports)).rejects.toMatchObject({ name: 'CustomerHasNoEmail', status: 409 });
    expect((await ports.complaints.get(id))?.extension).toBeUndefined();
  });
});

describe('staff e-mails: sent once and recorded, whatever fails', () => {
  const question = 'Proszę przesłać zdjęcie tabliczki znamionowej.';

  it('an information request whose write failed after the e-mail went out is finished by its retry, with no second e-mail', async () => {
    const { ports, file, store, sent } = world();
    const { id } = await file();
    store.failNextStaffChange(new Error('ProvisionedThroughputExceededException'));
    await expect(requestInformation(id, { question }, supervisor, ports)).rejects.toThrow('ProvisionedThroughput');
    // The e-mail went out and is recorded, with the address SES's delivery report will be kept at.
    expect(sent).toHaveLength(1);
    expect(sent[0]!.evidence).toEqual({ complaintId: id, record: 'informationRequest' });
    expect((await ports.complaints.get(id))?.informationRequest).toMatchObject({ messageId: 'message-1', question });

    const retried = await requestInformation(id, { question }, supervisor, ports);
    expect(sent).toHaveLength(1);
    expect(retried.informationRequest).toMatchObject({
      messageId: 'message-1',
      question,
      requestedBy: supervisor.id,
      requestedAt: NOW.toISOString(),
    });
    expect(store.historyOf(id).filter((entry) => entry.action === 'information_requested')).toEqual([
      expect.objectContaining({ actor: supervisor.id, after: { question, messageId: 'message-1' } }),
    ]);
  });

  it('of two different questions asked at once, one is e-mailed and recorded; the other is refused (409) and sends nothing', async () => {
    const { ports, file, store, sent } = world();
    const { id } = await file();
    const colleague = { ...supervisor, id: 'anna.supervisor', name: 'Anna' };
    const before = sent.length;
    const answers = await Promise.allSettled([
      requestInformation(id, { question }, supervisor, ports),
      requestInformation(id, { question: 'Proszę podać numer seryjny urządzenia.' }, colleague, ports),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected')!;
    expect(refused.reason).toMatchObject({ status: 409 });
    // Every question e-mailed has its entry.
    expect(sent.length - before).toBe(1);
    expect(store.historyOf(id).filter((entry) => entry.action === 'information_requested')).toHaveLength(1);

    // Asked again once the first is recorded, the second question goes out as a new one, with its own entry.
    await requestInformation(id, { question: 'Proszę podać numer seryjny urządzenia.' }, colleague, ports);
    expect(sent.length - before).toBe(2);
    expect(store.historyOf(id).filter((entry) => entry.action === 'information_requested')).toHaveLength(2);
  });

  it('an information request SES refused sends one e-mail when retried', async () => {
    const { ports, file, store, sent, refuseCall } = world();
    const { id } = await file();
    refuseCall(1);
    await expect(requestInformation(id, { question }, supervisor, ports)).rejects.toMatchObject({ name: 'EmailTemporarilyUnavailable' });
    expect((await ports.complaints.get(id))?.informationRequest).toBeUndefined();
    await requestInformation(id, { question }, supervisor, ports);
    expect(sent).toHaveLength(1);
    expect(store.historyOf(id).filter((entry) => entry.action === 'information_requested')).toHaveLength(1);
  });

  const otherQuestion = 'Czy czajnik spadł lub został uszkodzony mechanicznie?';
  const colleague = { ...supervisor, id: 'ola.supervisor', name: 'Ola' };

  it('a different question while an earlier request that sent its e-mail is unfinished is refused (409) for the rest of its minute', async () => {
    const { ports, file, store, sent } = world();
    const { id } = await file();
    store.failNextStaffChange(new Error('ProvisionedThroughputExceededException'));
    await expect(requestInformation(id, { question }, supervisor, ports)).rejects.toThrow('ProvisionedThroughput');
    const refused = requestInformation(id, { question: otherQuestion }, colleague, { ...ports, now: () => new Date(NOW.getTime() + 20_000) });
    await expect(refused).rejects.toBeInstanceOf(EarlierRequestUnfinished);
    await expect(refused).rejects.toMatchObject({ status: 409, retryAfterSeconds: 40 });
    expect(sent).toHaveLength(1);
    expect((await ports.complaints.get(id))?.informationRequest).toMatchObject({ question, messageId: 'message-1' });
  });

  it("after that minute, a different question writes the earlier request's entry in its sender's name, then sends its own", async () => {
    const { ports, file, store, sent } = world();
    const { id } = await file();
    store.failNextStaffChange(new Error('ProvisionedThroughputExceededException'));
    await expect(requestInformation(id, { question }, supervisor, ports)).rejects.toThrow('ProvisionedThroughput');
    const later = new Date(NOW.getTime() + 61_000);
    const asked = await requestInformation(id, { question: otherQuestion }, colleague, { ...ports, now: () => later });
    expect(sent).toHaveLength(2);
    expect(asked.informationRequest).toMatchObject({ question: otherQuestion, messageId: 'message-2', requestedBy: colleague.id });
    expect(store.historyOf(id).filter((entry) => entry.action === 'information_requested')).toEqual([
      expect.objectContaining({
        actor: supervisor.id,
        at: later.toISOString(),
        after: { question, messageId: 'message-1', sentAt: NOW.toISOString(), completedBy: colleague.id },
      }),
      expect.objectContaining({ actor: colleague.id, after: { question: otherQuestion, messageId: 'message-2' } }),
    ]);
  });

  it('of two retries finishing the same unfinished request at once, one writes its entry and the other gets a 409', async () => {
    const { ports, file, store, sent } = world();
    const { id } = await file();
    store.failNextStaffChange(new Error('ProvisionedThroughputExceededException'));
    await expect(requestInformation(id, { question }, supervisor, ports)).rejects.toThrow('ProvisionedThroughput');
    const outcomes = await Promise.allSettled([
      requestInformation(id, { question }, supervisor, ports),
      requestInformation(id, { question }, supervisor, ports),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refusal.reason).toMatchObject({ name: 'VersionConflict', status: 409, retryAfterSeconds: 1 });
    expect(sent).toHaveLength(1);
    expect(store.historyOf(id).filter((entry) => entry.action === 'information_requested')).toHaveLength(1);
  });

  it('a second, finished information request is a new e-mail', async () => {
    const { ports, file, sent } = world();
    const { id } = await file();
    await requestInformation(id, { question }, supervisor, ports);
    await requestInformation(id, { question }, supervisor, ports);
    expect(sent).toHaveLength(2);
  });
});

describe('staff writes under an Idempotency-Key', () => {
  const note = { text: 'Klient dzwonił.' };
  const keyedNote = (id: string, key: string, text = note.text) => ({
    key,
    asked: { route: 'POST /admin/complaints/{id}/notes', id, body: { text } },
    status: 201,
  });

  it('a note sent twice with the same key is stored once, and both answers are equal', async () => {
    const { ports, file, store } = world();
    const { id } = await file();
    const first = await keyedStaffWrite(keyedNote(id, 'note-1'), supervisor, ports, (keyed) => addNote(id, note, supervisor, keyed));
    const again = await keyedStaffWrite(keyedNote(id, 'note-1'), supervisor, ports, (keyed) => addNote(id, note, supervisor, keyed));
    expect(store.historyOf(id).filter((entry) => entry.action === 'note_added')).toHaveLength(1);
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
  });

  it('the same key with another note is refused (422) and stores nothing', async () => {
    const { ports, file, store } = world();
    const { id } = await file();
    await keyedStaffWrite(keyedNote(id, 'note-2'), supervisor, ports, (keyed) => addNote(id, note, supervisor, keyed));
    await expect(
      keyedStaffWrite(keyedNote(id, 'note-2', 'Inna notatka.'), supervisor, ports, (keyed) =>
        addNote(id, { text: 'Inna notatka.' }, supervisor, keyed),
      ),
    ).rejects.toMatchObject({ name: 'IdempotencyKeyReused', status: 422 });
    expect(store.historyOf(id).filter((entry) => entry.action === 'note_added')).toHaveLength(1);
  });

  it("another staff member's key of the same name is their own", async () => {
    const { ports, file, store } = world();
    const { id } = await file();
    const other = { ...supervisor, id: 'ewa.supervisor' };
    await keyedStaffWrite(keyedNote(id, 'shared'), supervisor, ports, (keyed) => addNote(id, note, supervisor, keyed));
    const theirs = await keyedStaffWrite(keyedNote(id, 'shared'), other, ports, (keyed) => addNote(id, note, other, keyed));
    expect(theirs.replayed).toBe(false);
    expect(store.historyOf(id).filter((entry) => entry.action === 'note_added')).toHaveLength(2);
  });

  it('two notes racing under one key store one note and get the same answer', async () => {
    const { ports, file, store } = world();
    const { id } = await file();
    const answers = await Promise.all(
      [1, 2].map(() => keyedStaffWrite(keyedNote(id, 'race'), supervisor, ports, (keyed) => addNote(id, note, supervisor, keyed))),
    );
    expect(store.historyOf(id).filter((entry) => entry.action === 'note_added')).toHaveLength(1);
    expect(answers.map((answer) => answer.complaint)).toEqual([answers[0]!.complaint, answers[0]!.complaint]);
  });

  it('a replayed decision gets its first answer, not the 409 of deciding twice', async () => {
    const { ports, file } = world();
    const { id } = await file();
    const body = { outcome: 'accepted' as const, remedy: 'replacement' as const, version: 1 };
    const keyed = { key: 'decide-1', asked: { route: 'POST /admin/complaints/{id}/decision', id, body }, status: 200 };
    const first = await keyedStaffWrite(keyed, supervisor, ports, (p) => recordDecision(id, body, supervisor, p));
    const again = await keyedStaffWrite(keyed, supervisor, ports, (p) => recordDecision(id, body, supervisor, p));
    expect(again).toEqual({ ...first, replayed: true });
    expect(first.complaint).toMatchObject({ status: 'decided', version: 2 });
  });

  it('an information request retried under its key after a failed write sends one e-mail and answers once stored', async () => {
    const { ports, file, store, sent } = world();
    const { id } = await file();
    const body = { question: 'Proszę przesłać zdjęcie paragonu.' };
    const keyed = { key: 'ask-1', asked: { route: 'POST /admin/complaints/{id}/information-requests', id, body }, status: 201 };
    store.failNextStaffChange(new Error('InternalServerError'));
    await expect(keyedStaffWrite(keyed, supervisor, ports, (p) => requestInformation(id, body, supervisor, p))).rejects.toThrow(
      'InternalServerError',
    );
    const retried = await keyedStaffWrite(keyed, supervisor, ports, (p) => requestInformation(id, body, supervisor, p));
    const replayed = await keyedStaffWrite(keyed, supervisor, ports, (p) => requestInformation(id, body, supervisor, p));
    expect(sent).toHaveLength(1);
    expect(retried.replayed).toBe(false);
    expect(replayed).toEqual({ ...retried, replayed: true });
  });
});

describe("the customer's answer to an information request", () => {
  const question = 'Proszę przesłać zdjęcie tabliczki znamionowej.';
  const replyPorts = (ports: StepPorts & StaffPorts): CustomerReplyPorts => ({
    ...ports,
    attempts: { countAttempt: async () => 1 },
    attachments: { inspect: async () => undefined, keep: async (id) => `attachments/${id}`, discard: async () => undefined },
    newId: () => 'reply-1',
    scanner: { scan: async () => 'not_scanned' },
  });

  it('is stored with its history entry, wakes the waiting workflow, and the department is e-mailed once', async () => {
    const { ports, file, store, sent, woken } = world();
    const { id, reference } = await file();
    await advanceComplaint(id, ports);
    await requestInformation(id, { question }, supervisor, ports);
    await ports.complaints.storeWait(id, {
      taskToken: 'token-1',
      plannedVersion: (await ports.complaints.get(id))!.version,
      since: NOW.toISOString(),
    });
    const reply = { reference, email: validComplaint.customer.email, language: 'pl' as const, text: 'Zdjęcie wyślę jutro.', attachments: [] };

    const view = await replyToInformationRequest(reply, '203.0.113.9', replyPorts(ports));
    expect(view.awaitingReply).toBe(false);
    expect(woken).toEqual(['token-1']);
    expect(store.historyOf(id).at(-1)).toMatchObject({ actor: 'customer', action: 'customer_replied', after: { text: 'Zdjęcie wyślę jutro.' } });

    const before = sent.length;
    await advanceComplaint(id, ports);
    await advanceComplaint(id, ports);
    expect(sent.slice(before).map((email) => email.subject)).toEqual([`Klient odpowiedział na pytanie – reklamacja ${reference}`]);
    expect(store.historyOf(id).at(-1)).toMatchObject({ action: 'customer_reply_forwarded' });
  });

  it('the same answer again is answered alike and stores nothing; another answer is refused', async () => {
    const { ports, file, store } = world();
    const { id, reference } = await file();
    await advanceComplaint(id, ports);
    await requestInformation(id, { question }, supervisor, ports);
    const reply = { reference, email: validComplaint.customer.email, language: 'pl' as const, text: 'Tabliczka: KE200.', attachments: [] };
    const first = await replyToInformationRequest(reply, '203.0.113.9', replyPorts(ports));
    const entries = store.historyOf(id).length;
    expect(await replyToInformationRequest(reply, '203.0.113.9', replyPorts(ports))).toEqual(first);
    await expect(replyToInformationRequest({ ...reply, text: 'Coś innego.' }, '203.0.113.9', replyPorts(ports))).rejects.toBeInstanceOf(
      NoQuestionToAnswer,
    );
    expect(store.historyOf(id)).toHaveLength(entries);
  });

  it('of two different answers sent at once, one is stored and the other refused', async () => {
    const { ports, file, store } = world();
    const { id, reference } = await file();
    await advanceComplaint(id, ports);
    await requestInformation(id, { question }, supervisor, ports);
    const reply = { reference, email: validComplaint.customer.email, language: 'pl' as const, text: 'Pierwsza.', attachments: [] };
    const outcomes = await Promise.allSettled([
      replyToInformationRequest(reply, '203.0.113.9', replyPorts(ports)),
      replyToInformationRequest({ ...reply, text: 'Druga.' }, '203.0.113.9', replyPorts(ports)),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(store.historyOf(id).filter((entry) => entry.action === 'customer_replied')).toHaveLength(1);
  });
});

describe('an answer the customer never received (a permanent bounce)', () => {
  it('alerts the supervisor, copying the department, once per bounced message, with the fallback for a receipt policy', async () => {
    const { ports, file, sent, store } = world();
    const { id } = await file();
    await advanceComplaint(id, ports);
    await recordDecision(id, { outcome: 'accepted', remedy: 'replacement', version: 1 }, supervisor, ports);
    await advanceComplaint(id, ports);
    const { decisionSent } = (await ports.complaints.get(id))!;
    const bounce = {
      complaintId: id,
      record: 'decisionSent' as const,
      messageId: decisionSent!.messageId,
      delivery: 'bounced' as const,
      at: NOW.toISOString(),
    };
    const before = sent.length;
    expect(await alertBouncedAnswer(bounce, ports)).toBe(true);
    expect(await alertBouncedAnswer(bounce, ports)).toBe(true);
    const alerts = sent.slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ to: expect.stringMatching(/@/), cc: [expect.stringMatching(/@/)] });
    expect(alerts[0]!.text).toContain('dopiero, gdy dotrze do klienta (art. 61 KC)');
    expect(store.historyOf(id).filter((entry) => entry.action === 'bounce_alert_sent')).toHaveLength(1);
  });

  it('sends nothing for a bounced acknowledgement, or for a delivered answer', async () => {
    const { ports, file, sent } = world();
    const { id } = await file();
    await advanceComplaint(id, ports);
    const before = sent.length;
    const evidence = { complaintId: id, messageId: 'message-1', at: NOW.toISOString() };
    expect(await alertBouncedAnswer({ ...evidence, record: 'acknowledgement', delivery: 'bounced' }, ports)).toBe(false);
    expect(await alertBouncedAnswer({ ...evidence, record: 'decisionSent', delivery: 'delivered' }, ports)).toBe(false);
    expect(sent.length).toBe(before);
  });
});

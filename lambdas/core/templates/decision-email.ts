import { customerNameOf, type Complaint, type Language } from '../complaint';
import { facts, heading, list, paragraph, renderLetter, type Block, type Letter, type RenderedEmail } from './email-layout';
import { customerGreeting, formatCalendarDate, remedyWords, signOff, type CalendarDate, type DecisionDraft, type Outcome } from './wording';

export type DecisionEmailInput = Omit<DecisionDraft, 'appealRoutes'> & {
  /** The appeal routes as sentences (the decision's appealRouteTexts), not their ids. */
  appealRoutes?: readonly string[];
  language: Language;
  companyName: string;
  reference: string;
  customerName: string;
  responseDueBy: CalendarDate;
};

const outcomeWords: Record<Language, Record<Outcome, { sentence: string; label: string }>> = {
  pl: {
    accepted: { sentence: 'Uznajemy Państwa reklamację.', label: 'uznana' },
    partly_accepted: { sentence: 'Uznajemy Państwa reklamację w części.', label: 'uznana w części' },
    rejected: { sentence: 'Nie uznajemy Państwa reklamacji.', label: 'nieuznana' },
  },
  en: {
    accepted: { sentence: 'We accept your complaint.', label: 'accepted' },
    partly_accepted: { sentence: 'We accept your complaint in part.', label: 'partly accepted' },
    rejected: { sentence: 'We reject your complaint.', label: 'rejected' },
  },
};

/**
 * The answer to the customer, on a durable medium (domain.md, "What an answer must carry"): the reference,
 * what was decided and why, the remedy, how to appeal and who answers for which company, plus the elements
 * some policies add (the ADR statement of a consumer rejection, the signer and appeal routes of a financial
 * answer). It renders what it is given; missingAnswerElements decides beforehand whether that is enough.
 */
export function decisionEmail(input: DecisionEmailInput): RenderedEmail {
  return renderLetter(decisionLetter(input));
}

/** The same answer as blocks, for the e-mail and for the printed letter (lambdas/adapters/letter-pdf.ts). */
export function decisionLetter(input: DecisionEmailInput): Letter {
  const { language, reference, outcome } = input;
  const paymentDue = input.paymentDueBy === undefined ? undefined : formatCalendarDate(input.paymentDueBy, language);
  const due = formatCalendarDate(input.responseDueBy, language);
  const remedy = input.remedy === undefined ? undefined : remedyWords[language][input.remedy];
  const words = outcomeWords[language][outcome];
  const copy =
    language === 'pl'
      ? {
          subject: `Odpowiedź na reklamację ${reference}`,
          intro: `Odpowiadamy na Państwa reklamację nr ${reference}.`,
          rows: [
            ['Numer reklamacji', reference],
            ['Decyzja', words.label],
            ['Sposób załatwienia reklamacji', remedy],
            ['Kwota', input.paymentAmount],
            ['Sposób zapłaty', input.paymentMethod],
            ['Termin zapłaty', paymentDue],
            ['Termin na odpowiedź', due],
          ] as const,
          justification: 'Uzasadnienie',
          adr: 'Pozasądowe rozwiązywanie sporów',
          appeal: 'Jak się odwołać',
          appealRoutes: 'Jeśli nie zgadzają się Państwo z tą decyzją, mogą Państwo skorzystać z następujących możliwości:',
          appealDefault: `Jeśli nie zgadzają się Państwo z tą decyzją, prosimy odpowiedzieć na tę wiadomość, podając numer reklamacji ${reference}. Mogą Państwo również dochodzić swoich praw przed sądem powszechnym.`,
          keep: 'To pismo jest naszą odpowiedzią na reklamację, utrwaloną na trwałym nośniku. Prosimy je zachować.',
        }
      : {
          subject: `Our answer to your complaint ${reference}`,
          intro: `This is our answer to your complaint ${reference}.`,
          rows: [
            ['Reference', reference],
            ['Decision', words.label],
            ['Remedy', remedy],
            ['Amount', input.paymentAmount],
            ['How it is paid', input.paymentMethod],
            ['To be paid by', paymentDue],
            ['Response due by', due],
          ] as const,
          justification: 'Reasons',
          adr: 'Out-of-court dispute resolution',
          appeal: 'How to appeal',
          appealRoutes: 'If you disagree with this decision, you can:',
          appealDefault: `If you disagree with this decision, please reply to this message quoting the reference ${reference}. You may also pursue your claim in court.`,
          keep: 'This is our answer to your complaint, on a durable medium. Please keep it.',
        };
  const routes = input.appealRoutes ?? [];
  const blocks: Block[] = [
    paragraph(copy.intro),
    paragraph(words.sentence),
    facts(copy.rows),
    ...(input.justification ? [heading(copy.justification), paragraph(input.justification)] : []),
    ...(input.adrStatement ? [heading(copy.adr), paragraph(input.adrStatement)] : []),
    heading(copy.appeal),
    ...(routes.length > 0 ? [paragraph(copy.appealRoutes), list(routes)] : [paragraph(copy.appealDefault)]),
    paragraph(copy.keep),
  ];
  return {
    language,
    companyName: input.companyName,
    reference,
    subject: copy.subject,
    greeting: customerGreeting(input.customerName, language),
    blocks,
    signOff: signOff(language, input.companyName, { name: input.signerName, position: input.signerPosition }),
  };
}

/** The answer as stored on the complaint, ready for the e-mail or the printed letter. */
export function decisionInputOf(complaint: Complaint, companyName: string): DecisionEmailInput {
  const decision = complaint.decision;
  if (!decision) throw new RangeError(`Complaint ${complaint.reference} has no decision`);
  return {
    language: complaint.language,
    companyName,
    reference: complaint.reference,
    customerName: customerNameOf(complaint),
    outcome: decision.outcome,
    remedy: decision.remedy,
    justification: decision.justification,
    signerName: decision.signerName,
    signerPosition: decision.signerPosition,
    adrStatement: decision.adrStatement,
    appealRoutes: decision.appealRouteTexts,
    paymentDueBy: decision.paymentDueBy,
    paymentAmount: decision.paymentAmount,
    paymentMethod: decision.paymentMethod,
    responseDueBy: complaint.responseDueBy,
  };
}

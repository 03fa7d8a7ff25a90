import type { Language } from '../../lambdas/core/complaint';
import {
  acknowledgementEmail,
  deadlinePassedAlertEmail,
  decisionEmail,
  deemedAcceptedEmail,
  departmentAssignmentEmail,
  escapeHtml,
  extensionNoticeEmail,
  formatCalendarDate,
  bouncedAnswerAlertEmail,
  informationRequestEmail,
  reminderEmail,
  type RenderedEmail,
} from '../../lambdas/core/templates';

const REFERENCE = 'RK-7XK4M-9QPZT';
const languages: Language[] = ['pl', 'en'];

/** Each template with plain inputs, or with `text` in every customer- or staff-supplied field. */
interface TemplateCase {
  name: string;
  dates: string[];
  render(language: Language, options?: { text?: string; reference?: string }): RenderedEmail;
}

const templates: TemplateCase[] = [
  {
    name: 'acknowledgement',
    dates: ['2026-12-10', '2026-12-28', '2026-11-30'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      acknowledgementEmail({
        language,
        companyName: text ?? 'Sklep AGD Sp. z o.o.',
        reference,
        customerName: text ?? 'Anna Kowalska',
        receivedOn: '2026-12-10',
        responseDueBy: '2026-12-28',
        product: text ?? 'Czajnik CK-200',
        orderNumber: text ?? 'ZAM-1234',
        purchaseDate: '2026-11-30',
        description: text ?? 'Czajnik przestał grzać po dwóch tygodniach.',
        desiredRemedy: 'replacement',
      }),
  },
  {
    name: 'department assignment',
    dates: ['2026-12-28', '2026-12-22'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      departmentAssignmentEmail({
        language,
        companyName: text ?? 'Sklep AGD',
        reference,
        departmentName: text ?? 'Zwroty',
        responseDueBy: '2026-12-28',
        internalTarget: '2026-12-22',
        reason: text ?? 'reguła "wymiana" → Zwroty',
      }),
  },
  {
    name: 'reminder',
    dates: ['2026-12-28'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      reminderEmail({
        language,
        companyName: text ?? 'Sklep AGD',
        reference,
        departmentName: text ?? 'Zwroty',
        responseDueBy: '2026-12-28',
        workingDaysLeft: 3,
        escalation: false,
      }),
  },
  {
    name: 'escalation reminder',
    dates: ['2026-12-28'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      reminderEmail({
        language,
        companyName: text ?? 'Sklep AGD',
        reference,
        departmentName: text ?? 'Zwroty',
        responseDueBy: '2026-12-28',
        workingDaysLeft: 1,
        escalation: true,
      }),
  },
  {
    name: 'decision',
    dates: ['2026-12-28'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      decisionEmail({
        language,
        companyName: text ?? 'Sklep AGD',
        reference,
        customerName: text ?? 'Anna Kowalska',
        outcome: 'rejected',
        justification: text ?? 'Uszkodzenie mechaniczne powstało po wydaniu towaru.',
        signerName: text ?? 'Jan Nowak',
        signerPosition: text ?? 'Kierownik działu reklamacji',
        adrStatement: text ?? 'Nie wyrażamy zgody na pozasądowe rozwiązywanie sporów.',
        appealRoutes: [text ?? 'Sąd powszechny'],
        responseDueBy: '2026-12-28',
      }),
  },
  {
    name: 'deemed accepted',
    dates: ['2026-12-28'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      deemedAcceptedEmail({
        language,
        companyName: text ?? 'Sklep AGD',
        reference,
        customerName: text ?? 'Anna Kowalska',
        responseDueBy: '2026-12-28',
        silence: 'deemed_accepted',
      }),
  },
  {
    name: 'deadline-passed alert',
    dates: ['2026-12-28'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      deadlinePassedAlertEmail({
        language,
        companyName: text ?? 'Sklep AGD',
        reference,
        departmentName: text ?? 'Zwroty',
        responseDueBy: '2026-12-28',
        silence: 'deemed_accepted',
      }),
  },
  {
    name: 'extension notice',
    dates: ['2027-01-25'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      extensionNoticeEmail({
        language,
        companyName: text ?? 'Bank Przykładowy S.A.',
        reference,
        customerName: text ?? 'Anna Kowalska',
        reason: text ?? 'Czekamy na dane od operatora kart.',
        stillToEstablish: text ?? 'Czy transakcja została autoryzowana.',
        newResponseDueBy: '2027-01-25',
      }),
  },
  {
    name: 'bounced answer alert',
    dates: ['2026-12-07'],
    render: (language, { text, reference = REFERENCE } = {}) =>
      bouncedAnswerAlertEmail({
        language,
        companyName: text ?? 'Sklep AGD',
        reference,
        departmentName: text ?? 'Reklamacje',
        what: 'decision',
        responseDueBy: '2026-12-07',
        metBy: 'receipt',
      }),
  },
  {
    name: 'information request',
    dates: [],
    render: (language, { text, reference = REFERENCE } = {}) =>
      informationRequestEmail({
        language,
        companyName: text ?? 'Sklep AGD',
        reference,
        customerName: text ?? 'Anna Kowalska',
        question: text ?? 'Prosimy o zdjęcie tabliczki znamionowej.',
      }),
  },
];

const cases = templates.flatMap((template) => languages.map((language) => ({ ...template, language })));

describe('e-mail templates', () => {
  it.each(cases)('the $name e-mail in $language carries the reference in its subject, text and html', ({ render, language }) => {
    const email = render(language);
    expect(email.subject).toContain(REFERENCE);
    expect(email.text).toContain(REFERENCE);
    expect(email.html).toContain(REFERENCE);
  });

  it.each(cases)('the $name e-mail in $language shows its dates in words, never as YYYY-MM-DD', ({ render, language, dates }) => {
    const email = render(language);
    for (const date of dates) {
      const shown = formatCalendarDate(date, language);
      expect(email.text).toContain(shown);
      expect(email.html).toContain(shown);
    }
    expect(email.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(email.html).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it.each(cases)('the $name e-mail in $language is written in that language and names the company', ({ render, language }) => {
    const email = render(language);
    const footer = language === 'pl' ? 'Prosimy podawać numer reklamacji' : 'Please quote the complaint reference';
    const otherFooter = language === 'pl' ? 'Please quote the complaint reference' : 'Prosimy podawać numer reklamacji';
    expect(email.html).toContain(`<html lang="${language}">`);
    expect(email.text).toContain(footer);
    expect(email.text).not.toContain(otherFooter);
    expect(email.html).toMatch(/Sklep AGD|Bank Przykładowy S\.A\./);
    expect(email.text).toMatch(/Sklep AGD|Bank Przykładowy S\.A\./);
  });

  it.each(cases)('in the $name e-mail in $language, a script typed into a field is escaped in the html and never raw', ({ render, language }) => {
    const attack = '<script>alert(1)</script>';
    const email = render(language, { text: attack });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.text).toContain(attack); // the text part stays plain
  });

  it.each(cases)('in the $name e-mail in $language, a CR/LF in the reference or a name does not reach the subject', ({ render, language }) => {
    const email = render(language, { text: 'Zwroty\r\nBcc: victim@example.com', reference: 'RK-7XK4M\r\nBcc: attacker@example.com' });
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain('RK-7XK4M Bcc: attacker@example.com');
  });
});

describe('calendar dates in e-mails', () => {
  it.each([
    ['2026-12-28', 'pl', '28 grudnia 2026'],
    ['2026-12-28', 'en', '28 December 2026'],
    ['2026-01-01', 'pl', '1 stycznia 2026'],
    ['2026-05-04', 'pl', '4 maja 2026'],
    ['2026-09-30', 'pl', '30 września 2026'],
    ['2027-02-28', 'en', '28 February 2027'],
  ] as const)('%s in %s reads "%s"', (date, language, shown) => {
    expect(formatCalendarDate(date, language)).toBe(shown);
  });

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/Warsaw'])('shows the same calendar day when the server runs in %s', (zone) => {
    const original = process.env.TZ;
    process.env.TZ = zone;
    try {
      expect(formatCalendarDate('2026-12-28', 'pl')).toBe('28 grudnia 2026');
      expect(formatCalendarDate('2026-03-29', 'en')).toBe('29 March 2026');
    } finally {
      process.env.TZ = original;
    }
  });

  it.each(['2026-02-30', '28.12.2026', '2026-12-28T00:00:00Z', ''])('refuses "%s", which is not a calendar date', (date) => {
    expect(() => formatCalendarDate(date, 'pl')).toThrow(RangeError);
  });
});

describe('remedies in words', () => {
  const words = [
    ['repair', 'naprawa', 'repair'],
    ['replacement', 'wymiana', 'replacement'],
    ['price_reduction', 'obniżenie ceny', 'price reduction'],
    ['refund', 'zwrot pieniędzy', 'refund'],
  ] as const;

  it.each(words)('the acknowledgement names the remedy %s as "%s" in Polish and "%s" in English', (remedy, pl, en) => {
    const acknowledgement = (language: Language) =>
      acknowledgementEmail({
        language,
        companyName: 'Sklep AGD',
        reference: REFERENCE,
        customerName: 'Anna Kowalska',
        receivedOn: '2026-12-10',
        responseDueBy: '2026-12-28',
        description: 'Czajnik przestał grzać po dwóch tygodniach.',
        desiredRemedy: remedy,
      });
    expect(acknowledgement('pl').text).toContain(`Żądanie: ${pl}`);
    expect(acknowledgement('en').text).toContain(`Remedy requested: ${en}`);
  });

  it.each(words)('the decision names the granted remedy %s as "%s" in Polish and "%s" in English', (remedy, pl, en) => {
    const decision = (language: Language) =>
      decisionEmail({
        language,
        companyName: 'Sklep AGD',
        reference: REFERENCE,
        customerName: 'Anna',
        outcome: 'accepted',
        remedy,
        responseDueBy: '2026-12-28',
      });
    expect(decision('pl').text).toContain(`Sposób załatwienia reklamacji: ${pl}`);
    expect(decision('en').text).toContain(`Remedy: ${en}`);
  });

  it('the acknowledgement leaves out the optional fields the customer did not give', () => {
    const email = acknowledgementEmail({
      language: 'pl',
      companyName: 'Sklep AGD',
      reference: REFERENCE,
      customerName: 'Anna Kowalska',
      receivedOn: '2026-12-10',
      responseDueBy: '2026-12-28',
      description: 'Czajnik przestał grzać po dwóch tygodniach.',
      desiredRemedy: 'repair',
    });
    expect(email.text).not.toMatch(/Produkt|Numer zamówienia|Data zakupu|undefined/);
  });
});

describe('the decision e-mail', () => {
  const base = { companyName: 'Bank Przykładowy S.A.', reference: REFERENCE, customerName: 'Anna Kowalska', responseDueBy: '2026-12-28' };

  it('includes the ADR statement, the appeal routes, the justification and the signer when given', () => {
    const email = decisionEmail({
      ...base,
      language: 'pl',
      outcome: 'rejected',
      justification: 'Transakcja została autoryzowana kodem SMS.\nLogi potwierdzają logowanie z urządzenia klienta.',
      adrStatement: 'Wyrażamy zgodę na rozpatrzenie sporu przez Arbitra Bankowego przy Związku Banków Polskich.',
      appealRoutes: ['Odwołanie do zarządu banku', 'Wniosek do Rzecznika Finansowego (rf.gov.pl)', 'Powództwo przed sądem powszechnym'],
      signerName: 'Jan Nowak',
      signerPosition: 'Kierownik Zespołu Reklamacji',
    });
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Nie uznajemy Państwa reklamacji.');
      expect(part).toContain('Uzasadnienie');
      expect(part).toContain('Pozasądowe rozwiązywanie sporów');
      expect(part).toContain('Arbitra Bankowego');
      expect(part).toContain('Wniosek do Rzecznika Finansowego (rf.gov.pl)');
      expect(part).toContain('Odwołanie do zarządu banku');
      expect(part).toContain('Jan Nowak');
      expect(part).toContain('Kierownik Zespołu Reklamacji');
      expect(part).toContain('Bank Przykładowy S.A.');
    }
    expect(email.text).toContain('- Wniosek do Rzecznika Finansowego (rf.gov.pl)');
    expect(email.html).toContain('<li>Powództwo przed sądem powszechnym</li>');
    expect(email.html).toContain('Transakcja została autoryzowana kodem SMS.<br>Logi');
  });

  it('without appeal routes still tells the customer how to appeal, and leaves out the ADR section', () => {
    const email = decisionEmail({
      ...base,
      language: 'en',
      outcome: 'partly_accepted',
      remedy: 'price_reduction',
      justification: 'Only the lid is faulty.',
    });
    expect(email.text).toContain('We accept your complaint in part.');
    expect(email.text).toContain('How to appeal');
    expect(email.text).toContain(`quoting the reference ${REFERENCE}`);
    expect(email.text).not.toContain('Out-of-court dispute resolution');
    expect(email.text).toContain('Complaints team');
  });

  it.each([
    ['accepted', 'Uznajemy Państwa reklamację.', 'We accept your complaint.'],
    ['partly_accepted', 'Uznajemy Państwa reklamację w części.', 'We accept your complaint in part.'],
    ['rejected', 'Nie uznajemy Państwa reklamacji.', 'We reject your complaint.'],
  ] as const)('says what was decided when the outcome is %s', (outcome, pl, en) => {
    expect(decisionEmail({ ...base, language: 'pl', outcome }).text).toContain(pl);
    expect(decisionEmail({ ...base, language: 'en', outcome }).text).toContain(en);
  });
});

describe('the reminder e-mail', () => {
  const reminder = (workingDaysLeft: number, language: Language = 'pl', escalation = false) =>
    reminderEmail({
      language,
      companyName: 'Sklep AGD',
      reference: REFERENCE,
      departmentName: 'Zwroty',
      responseDueBy: '2026-12-28',
      workingDaysLeft,
      escalation,
    });

  it.each([
    [1, 'za 1 dzień roboczy', 'in 1 working day'],
    [3, 'za 3 dni robocze', 'in 3 working days'],
    [5, 'za 5 dni roboczych', 'in 5 working days'],
    [12, 'za 12 dni roboczych', 'in 12 working days'],
    [22, 'za 22 dni robocze', 'in 22 working days'],
  ])('with %i working day(s) left says so in correct Polish and English', (days, pl, en) => {
    expect(reminder(days).text).toContain(pl);
    expect(reminder(days, 'en').text).toContain(en);
  });

  it('on the due date itself says the deadline is today', () => {
    expect(reminder(0).text).toContain('Termin upływa dziś, 28 grudnia 2026.');
    expect(reminder(0, 'en').text).toContain('The deadline is today, 28 December 2026.');
  });

  it('as an escalation reads as one, in the subject too', () => {
    expect(reminder(1, 'pl', true).subject).toMatch(/^Eskalacja: /);
    expect(reminder(1, 'en', true).subject).toMatch(/^Escalation: /);
    expect(reminder(1, 'pl', false).subject).toMatch(/^Przypomnienie: /);
  });
});

describe('e-mails about a missed deadline', () => {
  const customer = { companyName: 'Bank Przykładowy S.A.', reference: REFERENCE, customerName: 'Anna Kowalska', responseDueBy: '2026-12-28' };

  it('tell the customer the complaint is deemed accepted, or resolved in their favour, as the policy says', () => {
    expect(deemedAcceptedEmail({ ...customer, language: 'pl', silence: 'deemed_accepted' }).text).toContain('reklamację uważa się za uznaną');
    expect(deemedAcceptedEmail({ ...customer, language: 'pl', silence: 'deemed_resolved_for_customer' }).text).toContain(
      'reklamację uważa się za rozpatrzoną zgodnie z Państwa wolą',
    );
    expect(deemedAcceptedEmail({ ...customer, language: 'en', silence: 'deemed_resolved_for_customer' }).subject).toBe(
      `Complaint ${REFERENCE} is resolved in your favour`,
    );
  });

  it('tell the supervisor to send a late answer at once when silence has no legal effect', () => {
    const alert = deadlinePassedAlertEmail({
      language: 'pl',
      companyName: 'Sklep AGD',
      reference: REFERENCE,
      departmentName: 'Gwarancje',
      responseDueBy: '2026-12-28',
      silence: 'none',
    });
    expect(alert.text).toContain('upłynął z dniem 28 grudnia 2026');
    expect(alert.text).toContain('prosimy wysłać ją niezwłocznie');
  });
});

describe('the extension notice', () => {
  it('gives the reason for the delay, what is still to be established and the expected date', () => {
    const email = extensionNoticeEmail({
      language: 'pl',
      companyName: 'Bank Przykładowy S.A.',
      reference: REFERENCE,
      customerName: 'Anna Kowalska',
      reason: 'Czekamy na dane od operatora kart.',
      stillToEstablish: 'Czy transakcja została autoryzowana.',
      newResponseDueBy: '2027-01-25',
    });
    expect(email.text).toContain('Przyczyna opóźnienia: Czekamy na dane od operatora kart.');
    expect(email.text).toContain('Okoliczności, które muszą zostać ustalone: Czy transakcja została autoryzowana.');
    expect(email.text).toContain('Przewidywany termin rozpatrzenia reklamacji i udzielenia odpowiedzi: 25 stycznia 2027');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe("the information request's answer", () => {
  const ask = (statusPageUrl?: string) =>
    informationRequestEmail({
      language: 'pl',
      companyName: 'Sklep AGD',
      reference: REFERENCE,
      customerName: 'Anna',
      question: 'Prosimy o zdjęcie.',
      statusPageUrl,
    });

  it('goes through the status page, which the e-mail links: the product receives no e-mail, so it never asks for a reply', () => {
    const url = `https://reklamacje.example/reklamacja/status?reference=${REFERENCE}`;
    const email = ask(url);
    expect(email.text).toContain(url);
    expect(email.html).toContain(`href="${url.replaceAll('&', '&amp;')}"`);
    for (const part of [email.text, ask().text]) expect(part).not.toMatch(/odpowiedzieć na tę wiadomość|reply to this/i);
    expect(ask().text).toContain(`przez stronę statusu reklamacji, podając numer ${REFERENCE}`);
  });
});

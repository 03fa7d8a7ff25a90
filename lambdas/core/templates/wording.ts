import type * as z from '../zod';
import { utcMidnight, type CalendarDate } from '../calendar/calendar-date';
import type { Complaint, Language, decisionSchema } from '../complaint';

// Words and formats shared by the templates, in both languages.

/** A calendar date 'YYYY-MM-DD' (a Warsaw date, already decided by the deadline code). */
export type { CalendarDate };
export type Remedy = Complaint['desiredRemedy'];
export type DecisionDraft = z.infer<typeof decisionSchema>;
export type Outcome = DecisionDraft['outcome'];
/** What the policy says silence means once the due date has passed. */
export type SilenceEffect = NonNullable<Complaint['deadlinePassed']>['effect'];

// Every Intl object here is made at first use: the first one a process makes loads ICU's locale data (~30 ms),
// and most functions that load the templates (intake, the staff reads) never format a date or a count.

// Formatted in UTC, a date's UTC midnight shows the same calendar day on any server, whatever its zone.
const dateFormats: Partial<Record<Language, Intl.DateTimeFormat>> = {};

/** '2026-12-28' → '28 grudnia 2026' (pl) or '28 December 2026' (en). */
export function formatCalendarDate(date: CalendarDate, language: Language): string {
  dateFormats[language] ??= new Intl.DateTimeFormat(language === 'pl' ? 'pl-PL' : 'en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  return dateFormats[language].format(utcMidnight(date));
}

const dateTimeFormats: Partial<Record<Language, Intl.DateTimeFormat>> = {};

/** An instant on the Warsaw wall clock: '2026-11-24T09:05:00Z' → '24 listopada 2026 10:05' (pl). */
export function formatWarsawDateTime(instant: string, language: Language): string {
  dateTimeFormats[language] ??= new Intl.DateTimeFormat(language === 'pl' ? 'pl-PL' : 'en-GB', {
    timeZone: 'Europe/Warsaw',
    dateStyle: 'long',
    timeStyle: 'short',
  });
  return dateTimeFormats[language].format(new Date(instant));
}

/**
 * The remedy in words. 'refund' is "zwrot pieniędzy" rather than "odstąpienie od umowy": for goods the refund
 * follows the consumer's withdrawal (art. 43e–43f of the consumer rights act), but the same remedy serves
 * telecom and financial complaints, where money is returned without anyone withdrawing from a contract.
 */
export const remedyWords: Record<Language, Record<Remedy, string>> = {
  pl: { repair: 'naprawa', replacement: 'wymiana', price_reduction: 'obniżenie ceny', refund: 'zwrot pieniędzy' },
  en: { repair: 'repair', replacement: 'replacement', price_reduction: 'price reduction', refund: 'refund' },
};

const pluralRules: Partial<Record<Language, Intl.PluralRules>> = {};

const workingDayForms: Record<Language, Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }> = {
  // "za 1 dzień roboczy", "za 3 dni robocze", "za 5 dni roboczych"
  pl: { one: 'dzień roboczy', few: 'dni robocze', many: 'dni roboczych', other: 'dni roboczych' },
  en: { one: 'working day', other: 'working days' },
};

/** '3 dni robocze', '5 dni roboczych', '1 working day'. */
export function workingDays(count: number, language: Language): string {
  const forms = workingDayForms[language];
  pluralRules[language] ??= new Intl.PluralRules(language);
  return `${count} ${forms[pluralRules[language].select(count)] ?? forms.other}`;
}

export const customerGreeting = (name: string, language: Language) => (language === 'pl' ? `Dzień dobry ${name},` : `Dear ${name},`);
export const staffGreeting = (language: Language) => (language === 'pl' ? 'Dzień dobry,' : 'Hello,');

/** The closing: the person who answers where one is named, otherwise the complaints team, and the company. */
export function signOff(language: Language, companyName: string, signer?: { name?: string; position?: string }): string[] {
  const team = language === 'pl' ? 'Zespół obsługi reklamacji' : 'Complaints team';
  const person = signer?.name ? [signer.name, ...(signer.position ? [signer.position] : [])] : [team];
  return [language === 'pl' ? 'Z poważaniem' : 'Kind regards', ...person, companyName];
}

/** Internal e-mails are sent by the system, not by a person. */
export const systemSignOff = (language: Language, companyName: string) => [
  language === 'pl' ? 'System obsługi reklamacji' : 'Complaint handling system',
  companyName,
];

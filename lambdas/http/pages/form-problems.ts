import type { Language } from '../../core/complaint';
import {
  DomainError,
  IdempotencyKeyInUse,
  IdempotencyKeyReused,
  MalformedRequest,
  PayloadTooLarge,
  TooManyAttempts,
  UnsupportedMediaType,
} from '../../core/errors';

// What the complaint form says, above the form kept as it was sent, when a plain form post (no JavaScript) fails
// as a whole rather than in a field: the browser shows a page, never problem+json. The status of the answer is
// the problem's own (400, 409, 413, 415, 422, 429, 500), so that nothing but the body differs from the API's.

export interface FormProblem {
  status: number;
  heading: string;
  message: string;
  headers?: Record<string, string>;
}

const words = {
  pl: {
    notSent: 'Formularz nie został wysłany',
    fault: 'Coś poszło nie tak po naszej stronie',
    malformed: 'Nie udało się odczytać formularza. Wyślij go jeszcze raz.',
    tooLarge: 'Formularz jest za duży (opis może mieć najwyżej 10 000 znaków). Skróć go i wyślij ponownie.',
    unsupported: 'Nie udało się odczytać formularza. Wyślij go jeszcze raz z tej strony.',
    inProgress: 'Ten formularz jest właśnie przyjmowany. Poczekaj chwilę i sprawdź pocztę, zanim wyślesz go ponownie.',
    reused: 'Ten formularz wysłano już z inną treścią. Odśwież stronę i wyślij go ponownie.',
    tooMany: (minutes: number) => `Z Twojej sieci wysłano zbyt wiele reklamacji. Spróbuj ponownie za ${minutes} min – Twoje dane są zachowane.`,
    failure:
      'Twoja reklamacja mogła zostać przyjęta albo nie. Jeśli w ciągu kilku minut nie dostaniesz e-maila z jej numerem, wyślij formularz ponownie – Twoje dane są zachowane.',
  },
  en: {
    notSent: 'The form was not sent',
    fault: 'Something went wrong on our side',
    malformed: 'The form could not be read. Please send it again.',
    tooLarge: 'The form is too large (the description can have at most 10,000 characters). Shorten it and send it again.',
    unsupported: 'The form could not be read. Please send it again from this page.',
    inProgress: 'This form is being received right now. Wait a moment and check your e-mail before sending it again.',
    reused: 'This form was already sent with other content. Reload the page and send it again.',
    tooMany: (minutes: number) => `Too many complaints were sent from your network. Try again in ${minutes} min – what you entered is kept.`,
    failure:
      'Your complaint may or may not have been received. If no e-mail with its reference arrives within a few minutes, send the form again – what you entered is kept.',
  },
} satisfies Record<Language, unknown>;

/** Why a post's body as a whole could not be read, for the pages that say so in their own words. */
export type BodyProblem = 'malformed' | 'tooLarge' | 'unsupported';

/** The body problem an error is (request-body.ts throws these three), with its status; undefined for any other. */
export function bodyProblemOf(error: unknown): { kind: BodyProblem; status: number } | undefined {
  if (error instanceof MalformedRequest) return { kind: 'malformed', status: error.status };
  if (error instanceof PayloadTooLarge) return { kind: 'tooLarge', status: error.status };
  if (error instanceof UnsupportedMediaType) return { kind: 'unsupported', status: error.status };
  return undefined;
}

/** The page's words for a failed post; an error that is not a DomainError is our fault (500). */
export function formProblem(language: Language, error: unknown): FormProblem {
  const text = words[language];
  if (error instanceof TooManyAttempts) {
    return {
      status: 429,
      heading: text.notSent,
      message: text.tooMany(Math.ceil(error.waitSeconds / 60)),
      headers: { 'retry-after': String(error.waitSeconds) },
    };
  }
  if (error instanceof IdempotencyKeyInUse) {
    return { status: 409, heading: text.notSent, message: text.inProgress, headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  if (error instanceof DomainError) {
    const unreadable = bodyProblemOf(error);
    const message = unreadable ? text[unreadable.kind] : error instanceof IdempotencyKeyReused ? text.reused : text.malformed;
    return { status: error.status, heading: text.notSent, message };
  }
  return { status: 500, heading: text.fault, message: text.failure };
}

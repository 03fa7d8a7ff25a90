// Domain errors have names and one mapping point (toProblem in lambdas/http/problem.ts). Each carries the HTTP
// status it maps to, so that a new error cannot be forgotten in a switch.

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `customer.email`; empty for the body as a whole. */
  field: string;
  message: string;
}

/** A configuration file or variable is broken: a deployment fault, not the caller's, so not a DomainError. */
export class InvalidConfiguration extends Error {
  override name = 'InvalidConfiguration';
  constructor(message: string) {
    super(message);
  }
}

/**
 * A DomainError with `retryAfterSeconds` is answered with Retry-After. Every 409 has it (issue 13), and says in
 * its comment whether after that time the same request may succeed (a key or an e-mail still in progress) or
 * only a follow-up read is worth making (a version conflict); so do a 429 and a 503.
 */
export interface PassesByItself {
  readonly retryAfterSeconds: number;
}

export abstract class DomainError extends Error {
  /** Each error names itself: the workflow's Retry/Catch and the logs match on it, and minified code has no class names. */
  abstract override name: string;
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
  constructor(message: string) {
    super(message);
  }
}

export class MalformedRequest extends DomainError {
  override name = 'MalformedRequest';
  readonly status = 400;
  readonly type = 'malformed-request';
  readonly title = 'The request body could not be read';
}

/**
 * A header the request needs is absent (a Shopify delivery without X-Shopify-Event-Id): the body may be fine, so
 * the problem names the header (`header`) rather than saying the body could not be read.
 */
export class MissingHeader extends DomainError {
  override name = 'MissingHeader';
  readonly status = 400;
  readonly type = 'missing-header';
  readonly title = 'A required request header is missing';
  constructor(
    readonly header: string,
    why: string,
  ) {
    super(`The header ${header} is required: ${why}`);
  }
}

/** A header the request carries cannot be read (X-Shopify-Triggered-At that is not a date); `header` names it. */
export class InvalidHeader extends DomainError {
  override name = 'InvalidHeader';
  readonly status = 400;
  readonly type = 'invalid-header';
  readonly title = 'A request header has a value that cannot be read';
  constructor(
    readonly header: string,
    why: string,
  ) {
    super(`The header ${header} ${why}`);
  }
}

/**
 * A paging cursor in the query string (a list's `cursor`, a history's `before`) that this API did not hand out
 * for this very list or history: forged, damaged, sealed under another key or meant for another page. A 400 of
 * its own, since the body it would otherwise blame (MalformedRequest) was fine or absent; the detail names the
 * parameter. Start again from the first page.
 */
export class InvalidCursor extends DomainError {
  override name = 'InvalidCursor';
  readonly status = 400;
  readonly type = 'invalid-cursor';
  readonly title = 'The paging cursor in the query string is not one this API handed out';
  constructor(
    /** The query parameter that carried it. */
    readonly parameter: 'cursor' | 'before',
    why = 'it is not one this API handed out for this request',
  ) {
    super(`The query parameter ${parameter} cannot be used: ${why}. Start again from the first page.`);
  }
}

export class ValidationFailed extends DomainError {
  override name = 'ValidationFailed';
  readonly status = 422;
  readonly type = 'validation-failed';
  readonly title = 'Some fields are missing or invalid';
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.field || '(body)'}: ${issue.message}`).join('; '));
  }
}

export class PayloadTooLarge extends DomainError {
  override name = 'PayloadTooLarge';
  readonly status = 413;
  readonly type = 'payload-too-large';
  readonly title = 'The request body is too large';
}

export class UnsupportedMediaType extends DomainError {
  override name = 'UnsupportedMediaType';
  readonly status = 415;
  readonly type = 'unsupported-media-type';
  readonly title = 'The request body has a media type this endpoint does not accept';
}

export class NotFound extends DomainError {
  override name = 'NotFound';
  readonly status = 404;
  readonly type = 'not-found';
  readonly title = 'Not found';
}

export class MethodNotAllowed extends DomainError {
  override name = 'MethodNotAllowed';
  readonly status = 405;
  readonly type = 'method-not-allowed';
  readonly title = 'Method not allowed';
}

/** Another request with the same Idempotency-Key is still being processed (httpapi idempotency draft §2.7). */
export class IdempotencyKeyInUse extends DomainError {
  override name = 'IdempotencyKeyInUse';
  readonly status = 409;
  readonly type = 'idempotency-key-in-use';
  readonly title = 'A request with this Idempotency-Key is still being processed';
  // The first request's work is one transaction of a few DynamoDB calls (≈ 100 ms, 10 s at most, the
  // functions' timeout): a second later it has usually finished, and the retry gets its answer replayed.
  readonly retryAfterSeconds = 1;
}

/**
 * An earlier attempt at this very e-mail claimed it and SES has not yet confirmed or denied sending it
 * (lambdas/use-cases/send-once.ts): sending now could send it twice. Retry-After is 1 s: an attempt still
 * running records its e-mail within about that (an SES call of 0.1–0.3 s and one write), and the request sent
 * again then gets its answer; one that died leaves the e-mail open for the rest of the window (`windowSeconds`),
 * after which SES's evidence completes it or it is sent.
 */
export class EmailBeingSent extends DomainError {
  override name = 'EmailBeingSent';
  readonly status = 409;
  readonly type = 'email-being-sent';
  readonly title = 'The e-mail this request sends is still being sent by an earlier attempt';
  readonly retryAfterSeconds = 1;
  constructor(readonly windowSeconds: number) {
    super(`An earlier attempt is sending this e-mail; at most ${windowSeconds} s from now it is either confirmed or may be sent again.`);
  }
}

/**
 * Staff asked a new question while an earlier information request, its e-mail already sent, had not written
 * its history entry (the request failed in between): that request's own retry is given the time to finish
 * (lambdas/use-cases/staff-actions.ts, UNFINISHED_REQUEST_GRACE_MS). Retry-After is what is left of it, after
 * which this request, sent again, completes the earlier one itself and goes on.
 */
export class EarlierRequestUnfinished extends DomainError {
  override name = 'EarlierRequestUnfinished';
  readonly status = 409;
  readonly type = 'earlier-request-unfinished';
  readonly title = 'An earlier information request on this complaint is still unfinished';
  constructor(readonly retryAfterSeconds: number) {
    super(`An earlier information request sent its e-mail but has not finished; ask again in ${retryAfterSeconds} s.`);
  }
}

/** The same Idempotency-Key was sent with a different body (httpapi idempotency draft §2.7). */
export class IdempotencyKeyReused extends DomainError {
  override name = 'IdempotencyKeyReused';
  readonly status = 422;
  readonly type = 'idempotency-key-reused';
  readonly title = 'This Idempotency-Key was already used with a different request';
}

/**
 * The change was made on a stale copy, or the complaint's state no longer allows it. The same request, repeated
 * unchanged, can only fail again: the caller reads the complaint and decides anew. Retry-After says when that
 * follow-up read is worth making (RFC 9110 §10.2.3 speaks of a follow-up request, not the same one): the change
 * that won is already stored when this is answered, and the workflow it woke takes one step (0.1–0.3 s,
 * lambdas/functions.ts) to act on it; a read a second later shows the complaint as both left it.
 */
export class VersionConflict extends DomainError {
  override name = 'VersionConflict';
  readonly status = 409;
  readonly type = 'version-conflict';
  readonly title = 'The resource was changed by someone else';
  readonly retryAfterSeconds = 1;
}

/**
 * So many changes to one complaint at once (a team adding notes together) that this one lost the race for the
 * next event number at every attempt: nothing of it was stored, and the same request sent again may succeed.
 */
export class ComplaintBusy extends DomainError {
  override name = 'ComplaintBusy';
  readonly status = 409;
  readonly type = 'complaint-busy';
  readonly title = 'The complaint is being changed by others right now';
  readonly retryAfterSeconds = 1;
}

/**
 * The statutory term ran out under a policy whose silence has a legal effect (deemed accepted, deemed resolved
 * for the customer): the law has answered the complaint, and a decision made now would not be the answer.
 * Retrying does not help, unlike a VersionConflict.
 */
export class TermEnded extends DomainError {
  override name = 'TermEnded';
  readonly status = 409;
  readonly type = 'term-ended';
  readonly title = 'The statutory term for answering has ended';
}

/**
 * Something must be e-mailed to a customer whose e-mail address is not known (the shop could not tell it,
 * Complaint.platformLookup): the complaint's state does not allow it until staff reach the customer another way.
 */
export class CustomerHasNoEmail extends VersionConflict {
  override name = 'CustomerHasNoEmail';
}

/**
 * Too many attempts (status lookups, complaints filed) for one reference or from one client: try again later
 * (HTTP 429). Here rather than beside the status page's schemas (core/customer-status.ts): intake and the
 * staff functions refuse with it, and importing it from there built those schemas at their cold start.
 */
export class TooManyAttempts extends DomainError {
  override name = 'TooManyAttempts';
  readonly status = 429;
  readonly type = 'too-many-attempts';
  readonly title = 'Too many attempts';
  constructor(readonly waitSeconds: number) {
    super(`Too many attempts. Try again in ${Math.ceil(waitSeconds / 60)} minutes.`);
  }
  /** It passes by itself when the window ends: answered with Retry-After (problem.ts). */
  get retryAfterSeconds(): number {
    return this.waitSeconds;
  }
}

export class Unauthenticated extends DomainError {
  override name = 'Unauthenticated';
  readonly status = 401;
  readonly type = 'unauthenticated';
  readonly title = 'The request is not signed or the signature is not valid';
}

export class Forbidden extends DomainError {
  override name = 'Forbidden';
  readonly status = 403;
  readonly type = 'forbidden';
  readonly title = 'You may not do this';
}

/** A webhook whose signature does not verify with any of its source's secrets, or that carries none. */
export class SignatureInvalid extends DomainError {
  override name = 'SignatureInvalid';
  readonly status = 401;
  readonly type = 'signature-invalid';
  readonly title = 'The webhook signature is missing or does not verify';
}

/**
 * A signed webhook whose signed timestamp lies outside the tolerance (Standard Webhooks: 5 minutes either way).
 * 401 rather than 400: freshness is part of what the signature proves, so a stale delivery is an
 * unauthenticated one (a captured request replayed), exactly as the reference libraries treat it; an honest
 * sender's retry is signed anew with a fresh timestamp and goes through.
 */
export class WebhookTimestampOutOfTolerance extends DomainError {
  override name = 'WebhookTimestampOutOfTolerance';
  readonly status = 401;
  readonly type = 'webhook-timestamp-out-of-tolerance';
  readonly title = 'The webhook timestamp is too old or too far in the future';
}

/**
 * A shop's platform (its Admin API) did not answer usefully just now: an outage, throttling, a timeout. Not a
 * DomainError: no HTTP request waits on it. The workflow step throws it by this name and the ASL retries it
 * with backoff (statemachines/complaint-workflow.asl.json, LookUpPlatformOrder).
 */
export class PlatformTemporarilyUnavailable extends Error {
  override name = 'PlatformTemporarilyUnavailable';
}

/**
 * The platform refused our access (a revoked token, a scope the app lacks): asking again will not help until
 * operators renew the token or the shop grants the scope, so the workflow records why and goes on.
 */
export class PlatformAccessRefused extends Error {
  override name = 'PlatformAccessRefused';
}

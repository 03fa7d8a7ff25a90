import * as z from './zod';
import type { Language } from './complaint';
import { InvalidConfiguration } from './errors';
import { parsedConfiguration } from './validation';

// The company's standing positions that answers must state: whether it takes part in out-of-court dispute
// resolution (art. 32 of the ADR act) and which appeal routes it really offers (art. 10 of the act of
// 5 August 2015). Deployment configuration (config/company.json, the demo), validated here at cold start.

export const appealRouteIds = ['internal_review', 'mediation', 'arbitration', 'financial_ombudsman', 'lawsuit'] as const;
export type AppealRouteId = (typeof appealRouteIds)[number];

// Built when a company file is first read, not when the module loads: every function bundles this module
// (through the config files' registry and the complaint's appeal routes), and most never read the company file.
// Zod schemas cost time to build (about 5-10 ms of these at a cold start, measured on the intake function).
function buildSchemas() {
  const organisation = z.object({
    name: z.string().check(z.trim(), z.minLength(3), z.maxLength(300)),
    website: z.optional(z.url()),
    address: z.optional(z.string().check(z.trim(), z.minLength(3), z.maxLength(300))),
  });

  const adrPosition = z
    .object({
      /** Whether the company agrees to resolve consumer disputes before an ADR body. */
      agrees: z.boolean(),
      /** The ADR bodies it agrees to (required when it agrees; art. 32(1) of the ADR act names "the competent body"). */
      bodies: z._default(z.array(organisation).check(z.maxLength(5)), []),
    })
    .check(
      z.refine((adr) => !adr.agrees || adr.bodies.length > 0, { path: ['bodies'], message: 'name at least one ADR body when agreeing' }),
      z.refine((adr) => adr.agrees || adr.bodies.length === 0, { path: ['bodies'], message: 'must be empty when the company does not agree' }),
    );

  const appealRoutes = z.object({
    /** An appeal against the answer inside the company, where it offers one (art. 10(1)(1)). */
    internalReview: z.optional(z.object({ how: z.string().check(z.trim(), z.minLength(10), z.maxLength(1_000)) })),
    /** Mediation the company agrees to, where it does (art. 10(1)(2)). */
    mediation: z._default(z.array(organisation).check(z.maxLength(5)), []),
    /** Arbitration (e.g. a bank arbitrator) the company agrees to, where it does (art. 10(1)(2)). */
    arbitration: z._default(z.array(organisation).check(z.maxLength(5)), []),
    /** The Financial Ombudsman (art. 10(1)(3)): always open to the customer of a financial-market entity. */
    financialOmbudsman: z._default(organisation, { name: 'Rzecznik Finansowy', website: 'https://rf.gov.pl' }),
    /** A lawsuit (art. 10(1)(4)): the defendant (the company, as it is sued) and the competent court. */
    lawsuit: z.object({
      defendant: z.string().check(z.trim(), z.minLength(10), z.maxLength(500)),
      court: z.string().check(z.trim(), z.minLength(10), z.maxLength(500)),
    }),
  });

  const companyProfile = z.object({
    /** Lines under the company's name at the head of a printed letter (postal address). */
    letterhead: z.object({
      addressLines: z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))).check(z.minLength(1), z.maxLength(6)),
    }),
    adr: z.optional(adrPosition),
    appealRoutes: z.optional(appealRoutes),
  });
  return { organisation, adrPosition, appealRoutes, companyProfile };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;

export type Organisation = z.infer<Schemas['organisation']>;
export type AdrPosition = z.infer<Schemas['adrPosition']>;
export type AppealRoutes = z.infer<Schemas['appealRoutes']>;
export type CompanyProfile = z.infer<Schemas['companyProfile']>;

export class InvalidCompanyProfile extends InvalidConfiguration {
  override name = 'InvalidCompanyProfile';
}

/** Parses the company file or throws naming `source` and each invalid field. */
export function parseCompanyProfile(data: unknown, source: string): CompanyProfile {
  return parsedConfiguration(
    (schemas ??= buildSchemas()).companyProfile,
    data,
    (problems) => new InvalidCompanyProfile(`${source} is not a valid company file: ${problems}`),
  );
}

const named = (body: Organisation) => [body.name, body.address, body.website].filter(Boolean).join(', ');

/** The ADR statement of art. 32 of the ADR act in the customer's language: consent and the body, or refusal. */
export function adrStatementText(adr: AdrPosition, language: Language): string {
  const bodies = adr.bodies.map(named).join('; ');
  if (language === 'pl') {
    return adr.agrees
      ? `Wyrażamy zgodę na pozasądowe rozwiązanie sporu. Podmiotem uprawnionym do pozasądowego rozwiązywania sporów konsumenckich, do którego mogą się Państwo zwrócić, jest: ${bodies}.`
      : 'Nie wyrażamy zgody na udział w postępowaniu w sprawie pozasądowego rozwiązywania sporów konsumenckich.';
  }
  return adr.agrees
    ? `We agree to resolve the dispute out of court. The body for out-of-court resolution of consumer disputes you may turn to is: ${bodies}.`
    : 'We do not agree to take part in out-of-court resolution of consumer disputes.';
}

/** The routes the company really offers, in the order art. 10(1) lists them. */
export function offeredAppealRoutes(routes: AppealRoutes): AppealRouteId[] {
  return appealRouteIds.filter((id) => {
    if (id === 'internal_review') return routes.internalReview !== undefined;
    if (id === 'mediation') return routes.mediation.length > 0;
    if (id === 'arbitration') return routes.arbitration.length > 0;
    return true;
  });
}

/** One appeal route in the customer's language, with the details art. 10 asks for. */
export function appealRouteText(routes: AppealRoutes, id: AppealRouteId, language: Language): string {
  const pl = language === 'pl';
  switch (id) {
    case 'internal_review':
      return `${pl ? 'Odwołanie od stanowiska zawartego w odpowiedzi' : 'An appeal against the position in this answer'}: ${routes.internalReview!.how}`;
    case 'mediation':
      return `${pl ? 'Wniosek o mediację' : 'Mediation'}: ${routes.mediation.map(named).join('; ')}`;
    case 'arbitration':
      return `${pl ? 'Wniosek o rozpatrzenie sprawy przez sąd polubowny' : 'Arbitration'}: ${routes.arbitration.map(named).join('; ')}`;
    case 'financial_ombudsman':
      return pl
        ? `Wniosek o rozpatrzenie sprawy przez Rzecznika Finansowego: ${named(routes.financialOmbudsman)}`
        : `A request to the Financial Ombudsman (Rzecznik Finansowy): ${named(routes.financialOmbudsman)}`;
    case 'lawsuit':
      return pl
        ? `Powództwo do sądu powszechnego. Pozwanym jest ${routes.lawsuit.defendant}; sądem właściwym jest ${routes.lawsuit.court}.`
        : `A lawsuit in the civil courts. The defendant is ${routes.lawsuit.defendant}; the competent court is ${routes.lawsuit.court}.`;
  }
}

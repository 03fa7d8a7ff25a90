import * as z from './zod';
import { channels, remedies, type Assignment, type Complaint } from './complaint';
import { DomainError, InvalidConfiguration } from './errors';
import { parsedConfiguration } from './validation';

// Which department handles a complaint is data, not code: one versioned file (config/departments.json) lists
// the departments and ordered rules. The first rule whose conditions all hold wins; a complaint no rule
// matches goes to the fallback department (triage). The assignment records the rule, the reason and the
// file's version, so staff can see why and the decision can be reproduced after the rules change.
//
// Description terms are matched on whole words, ignoring case and diacritics ("przesylka" = "Przesyłka").
// Polish inflects, so a word may end in `*` to match every word that starts with it: "uszkodz*" matches
// "uszkodzony" and "uszkodzona", and "paczk*" matches "paczkomat" too. A word without `*` matches only that
// word ("paczka" does not match "paczkomat"), and a term never matches inside a word ("dostaw*" does not
// match "poddostawca"). A term of several words ("nie dotarł*") matches those words in a row, whatever
// spaces, hyphens or punctuation stand between them.

/** The shortest stem before a `*`: shorter stems ("na*") would match half of any Polish sentence. */
const MIN_STEM_LENGTH = 3;
/** How much of the matched description text the reason quotes: enough to recognise the word. */
const MAX_QUOTED_LENGTH = 60;

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const TERM = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*\*?(?:[\s-]+[\p{L}\p{N}][\p{L}\p{N}\p{M}]*\*?)*$/u;

/** Letters that carry no combining mark under NFD, so stripping marks alone would leave them. */
const UNDECOMPOSABLE: Record<string, string> = { ł: 'l', đ: 'd', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i' };

function fold(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[łđøßæœı]/g, (letter) => UNDECOMPOSABLE[letter]!);
}

interface TermWord {
  folded: string;
  stem: boolean;
}

function termWords(term: string): TermWord[] {
  return term
    .trim()
    .split(/[\s-]+/)
    .map((word) => (word.endsWith('*') ? { folded: fold(word.slice(0, -1)), stem: true } : { folded: fold(word), stem: false }));
}

function termProblem(term: string): string | undefined {
  if (!TERM.test(term.trim())) {
    return `"${term}" must be words of letters or digits separated by spaces, each optionally ending in "*"`;
  }
  const short = termWords(term).find((word) => word.stem && word.folded.length < MIN_STEM_LENGTH);
  if (short) return `"${term}": a stem before "*" needs at least ${MIN_STEM_LENGTH} letters`;
  return undefined;
}

const identifier = z.string().check(z.maxLength(64), z.regex(/^[a-z][a-z0-9-_]*$/, 'must be a lower-case identifier such as "refund-to-payments"'));

const nonEmptyList = <T extends z.core.SomeType>(item: T) => z.array(item).check(z.minLength(1, 'must list at least one value'));

const descriptionTerm = z.string().check(
  z.superRefine((term, ctx) => {
    const problem = termProblem(term);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

export const departmentSchema = z.strictObject({
  id: identifier,
  name: z.string().check(z.trim(), z.minLength(1)),
  nameEn: z.string().check(z.trim(), z.minLength(1)),
  email: z.email('must be an e-mail address'),
  supervisorEmail: z.email('must be an e-mail address'),
});

/** All conditions given must hold; a condition listing several values holds when the fact is any of them. */
export const ruleConditionsSchema = z
  .strictObject({
    category: z.optional(nonEmptyList(z.string().check(z.trim(), z.minLength(1)))),
    desiredRemedy: z.optional(nonEmptyList(z.enum(remedies))),
    channel: z.optional(nonEmptyList(z.enum(channels))),
    sourcePlatform: z.optional(nonEmptyList(z.string().check(z.trim(), z.minLength(1)))),
    descriptionContainsAny: z.optional(nonEmptyList(descriptionTerm)),
  })
  .check(
    // A rule without conditions would swallow every complaint after it and make the fallback unreachable.
    z.refine((when) => Object.values(when).some((value) => value !== undefined), {
      message: 'a rule needs at least one condition; complaints no rule matches go to the fallback department',
    }),
  );

export const departmentRuleSchema = z.strictObject({
  id: identifier,
  description: z.string().check(z.trim(), z.minLength(1)),
  department: identifier,
  when: ruleConditionsSchema,
});

export const departmentRulesSchema = z
  .strictObject({
    version: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}\.\d+$/, 'must be the date of the change and a counter, e.g. 2026-11-23.1')),
    departments: z.array(departmentSchema).check(z.minLength(1, 'must list at least one department')),
    fallback: identifier,
    rules: z.array(departmentRuleSchema),
  })
  .check(
    z.superRefine((file, ctx) => {
      const known = file.departments.map((department) => department.id);
      const knownList = known.join(', ');
      file.departments.forEach((department, index) => {
        const first = known.indexOf(department.id);
        if (first !== index) {
          ctx.addIssue({
            code: 'custom',
            path: ['departments', index, 'id'],
            message: `"${department.id}" is already the id of departments.${first}`,
          });
        }
      });
      if (!known.includes(file.fallback)) {
        ctx.addIssue({ code: 'custom', path: ['fallback'], message: `"${file.fallback}" is not a department (known: ${knownList})` });
      }
      const ruleIds = file.rules.map((rule) => rule.id);
      file.rules.forEach((rule, index) => {
        const first = ruleIds.indexOf(rule.id);
        if (first !== index) {
          ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `"${rule.id}" is already the id of rules.${first}` });
        }
        if (!known.includes(rule.department)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, 'department'],
            message: `rule "${rule.id}" points at "${rule.department}", which is not a department (known: ${knownList})`,
          });
        }
      });
    }),
  );

export type DepartmentRules = z.infer<typeof departmentRulesSchema>;
export type Department = z.infer<typeof departmentSchema>;
export type DepartmentRule = z.infer<typeof departmentRuleSchema>;

/** What the rules look at. Category and source platform are optional: not every complaint carries them. */
export type AssignmentFacts = Pick<Complaint, 'desiredRemedy' | 'channel' | 'description'> & {
  category?: string;
  sourcePlatform?: string;
};

/** Exactly what the complaint's assignment records about the choice, apart from who and when. */
export type DepartmentMatch = Pick<Assignment, 'departmentId' | 'ruleId' | 'reason' | 'rulesVersion'>;

/** The rules file is broken: a deployment fault, not the caller's, so it is not a DomainError. */
export class InvalidDepartmentRules extends InvalidConfiguration {
  override name = 'InvalidDepartmentRules';
}

export class UnknownDepartment extends DomainError {
  override name = 'UnknownDepartment';
  readonly status = 422;
  readonly type = 'unknown-department';
  readonly title = 'No such department';
}

/**
 * Parses the rules file and checks that every reference in it resolves, so a broken file stops the function
 * at cold start (and the unit tests at build time) instead of misrouting complaints.
 */
export function loadDepartmentRules(json: unknown, source = 'config/departments.json'): DepartmentRules {
  return parsedConfiguration(
    departmentRulesSchema,
    json,
    (problems) => new InvalidDepartmentRules(`Invalid department rules in ${source}: ${problems}`),
  );
}

/** Staff read internal e-mails (notices, reminders, alerts) in Polish; the customer's language applies to what the customer receives. */
export const STAFF_LANGUAGE = 'pl' as const;

/** The department the complaint is with now; one not routed yet is the fallback department's. */
export function handlingDepartment(complaint: Pick<Complaint, 'assignment'>, rules: DepartmentRules): Department {
  return departmentById(rules, complaint.assignment?.departmentId ?? rules.fallback);
}

export function departmentById(rules: DepartmentRules, id: string): Department {
  const department = rules.departments.find((candidate) => candidate.id === id);
  if (!department) {
    const known = rules.departments.map((candidate) => candidate.id).join(', ');
    throw new UnknownDepartment(`There is no department "${id}" (known: ${known}).`);
  }
  return department;
}

interface DescriptionMatch {
  term: string;
  text: string;
}

function findTerm(terms: readonly string[], description: string): DescriptionMatch | undefined {
  const words = [...description.matchAll(WORD)].map((match) => ({
    folded: fold(match[0]),
    start: match.index,
    end: match.index + match[0].length,
  }));
  for (const term of terms) {
    const wanted = termWords(term);
    for (let first = 0; first + wanted.length <= words.length; first += 1) {
      const matches = wanted.every(({ folded, stem }, offset) => {
        const word = words[first + offset]!.folded;
        return stem ? word.startsWith(folded) : word === folded;
      });
      if (matches) {
        const text = description.slice(words[first]!.start, words[first + wanted.length - 1]!.end);
        return { term, text: text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text };
      }
    }
  }
  return undefined;
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Why the rule holds for these facts, one clause per condition, or undefined when it does not. */
function explainMatch(when: DepartmentRule['when'], facts: AssignmentFacts): string[] | undefined {
  const clauses: string[] = [];
  if (when.category) {
    if (facts.category === undefined || !when.category.some((value) => sameName(value, facts.category!))) return undefined;
    clauses.push(`category is ${facts.category}`);
  }
  if (when.desiredRemedy) {
    if (!when.desiredRemedy.includes(facts.desiredRemedy)) return undefined;
    clauses.push(`desiredRemedy is ${facts.desiredRemedy}`);
  }
  if (when.channel) {
    if (!when.channel.includes(facts.channel)) return undefined;
    clauses.push(`channel is ${facts.channel}`);
  }
  if (when.sourcePlatform) {
    if (facts.sourcePlatform === undefined || !when.sourcePlatform.some((value) => sameName(value, facts.sourcePlatform!))) return undefined;
    clauses.push(`sourcePlatform is ${facts.sourcePlatform}`);
  }
  if (when.descriptionContainsAny) {
    const found = findTerm(when.descriptionContainsAny, facts.description);
    if (!found) return undefined;
    clauses.push(`description contains ${JSON.stringify(found.text)} (term ${JSON.stringify(found.term)})`);
  }
  return clauses;
}

/** The first rule, in file order, whose conditions all hold; otherwise the fallback department. */
export function assignDepartment(rules: DepartmentRules, facts: AssignmentFacts): DepartmentMatch {
  for (const rule of rules.rules) {
    const clauses = explainMatch(rule.when, facts);
    if (clauses) {
      return {
        departmentId: rule.department,
        ruleId: rule.id,
        reason: `rule "${rule.id}": ${clauses.join(' and ')}`,
        rulesVersion: rules.version,
      };
    }
  }
  return {
    departmentId: rules.fallback,
    ruleId: null,
    reason: `no rule matched; fallback to ${rules.fallback}`,
    rulesVersion: rules.version,
  };
}

import { readPath, StatesError, type Json } from './paths';

// Choice rules as the States language defines them: comparisons against a Variable (literal or `…Path`),
// type tests, and And / Or / Not.

export type ChoiceRule = Record<string, unknown> & { Next?: string };

type Comparison = (left: Json, right: Json) => boolean;

const isTimestamp = (value: Json): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value);
const both =
  <T>(guard: (value: Json) => value is T & Json, compare: (a: T, b: T) => boolean): Comparison =>
  (left, right) =>
    guard(left) && guard(right) && compare(left, right);
const isString = (value: Json): value is string => typeof value === 'string';
const isNumber = (value: Json): value is number => typeof value === 'number';
const isBoolean = (value: Json): value is boolean => typeof value === 'boolean';
const time = (value: string) => Date.parse(value);

const comparisons: Record<string, Comparison> = {
  StringEquals: both(isString, (a, b) => a === b),
  StringLessThan: both(isString, (a, b) => a < b),
  StringGreaterThan: both(isString, (a, b) => a > b),
  StringLessThanEquals: both(isString, (a, b) => a <= b),
  StringGreaterThanEquals: both(isString, (a, b) => a >= b),
  StringMatches: both(isString, (a, pattern) => wildcard(pattern).test(a)),
  NumericEquals: both(isNumber, (a, b) => a === b),
  NumericLessThan: both(isNumber, (a, b) => a < b),
  NumericGreaterThan: both(isNumber, (a, b) => a > b),
  NumericLessThanEquals: both(isNumber, (a, b) => a <= b),
  NumericGreaterThanEquals: both(isNumber, (a, b) => a >= b),
  BooleanEquals: both(isBoolean, (a, b) => a === b),
  TimestampEquals: both(isTimestamp, (a, b) => time(a) === time(b)),
  TimestampLessThan: both(isTimestamp, (a, b) => time(a) < time(b)),
  TimestampGreaterThan: both(isTimestamp, (a, b) => time(a) > time(b)),
  TimestampLessThanEquals: both(isTimestamp, (a, b) => time(a) <= time(b)),
  TimestampGreaterThanEquals: both(isTimestamp, (a, b) => time(a) >= time(b)),
};

const typeTests: Record<string, (value: Json | undefined) => boolean> = {
  IsNull: (value) => value === null,
  IsPresent: (value) => value !== undefined,
  IsString: (value) => typeof value === 'string',
  IsNumeric: (value) => typeof value === 'number',
  IsBoolean: (value) => typeof value === 'boolean',
  IsTimestamp: (value) => isTimestamp(value ?? null),
};

function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/\\\*|\*|[.+?^${}()|[\]\\]/g, (part) => (part === '*' ? '.*' : part === '\\*' ? '\\*' : `\\${part}`));
  return new RegExp(`^${source}$`, 's');
}

/** The names of the comparison and test operators; the loader refuses any other key in a rule. */
export const operatorNames = new Set([
  ...Object.keys(comparisons),
  ...Object.keys(comparisons).map((name) => `${name}Path`),
  ...Object.keys(typeTests),
]);

export function matches(rule: ChoiceRule, input: Json, context: Json): boolean {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((inner) => matches(inner, input, context));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((inner) => matches(inner, input, context));
  if (rule.Not) return !matches(rule.Not as ChoiceRule, input, context);
  const variable = String(rule.Variable);
  let value: Json | undefined;
  try {
    value = readPath(variable, input, context);
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    value = undefined;
  }
  for (const [key, operand] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Comment') continue;
    const test = typeTests[key];
    if (test) return test(value) === operand;
    // A comparison on a missing field is an error in Step Functions (only IsPresent tolerates it).
    if (value === undefined)
      throw new StatesError('States.Runtime', `Invalid path '${variable}': the choice state's condition path references an invalid value.`);
    if (key.endsWith('Path')) {
      const compare = comparisons[key.slice(0, -4)];
      if (compare) return compare(value, readPath(String(operand), input, context));
    }
    const compare = comparisons[key];
    if (compare) return compare(value, operand as Json);
  }
  throw new StatesError('States.Runtime', `A choice rule names no operator the local engine knows: ${JSON.stringify(rule)}`);
}

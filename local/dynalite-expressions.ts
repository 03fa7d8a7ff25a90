import path from 'node:path';

// dynalite parses every ConditionExpression, UpdateExpression, KeyConditionExpression, FilterExpression and
// ProjectionExpression with a PEG parser, on every request: a fifth of its worker's CPU under the product's load
// (a profile of the intake and the workflows' calls), for the same few expressions over and over. Here each
// parser's `parse` remembers what it answered, and answers a repeated expression with a fresh copy of that.
//
// What a parse depends on, read from dynalite's grammars (db/*Parser.js): the expression; the attribute names
// (resolved into the tree); which value placeholders exist and each value's type (checked against the functions
// and operators, and stored in the tree as attrType); and, only for BETWEEN (bounds compared) and
// attribute_type (its type name read), the values themselves. So the key is the expression, the names and the
// values' types; expressions naming BETWEEN or attribute_type are not remembered. The values go into the tree by
// reference (the request's own objects), which a copy from the cache does as well. What the parse does besides
// answering (it strikes the names and values it used off the request's "unused" lists, which dynalite then
// refuses if any remain) is remembered and repeated.
// Only trees are remembered: an expression dynalite refuses is parsed again each time, so it is refused with
// dynalite's own message. A tree is a fresh copy for every request, so what dynalite does with one later
// (db/index.js reads them) cannot reach the cache.

type Json = Record<string, unknown>;

export interface ParseContext {
  attrNames?: Record<string, string> | null;
  attrVals?: Record<string, Json> | null;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
  [other: string]: unknown;
}

type Parse = (expression: string, options: { context: ParseContext } & Json) => unknown;

/** The grammars dynalite's validations/index.js calls, by module file under dynalite's db/. */
export const PARSERS = ['conditionParser', 'updateParser', 'projectionParser'] as const;

/** Enough for every expression the product sends many times over; past it, the oldest is dropped. */
const MAX_ENTRIES = 500;

/** A value placeholder's place in a remembered tree. */
class ValueOf {
  constructor(readonly placeholder: string) {}
}

interface Remembered {
  tree: unknown;
  usedNames: string[];
  usedValues: string[];
}

const TYPES = new Set(['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M']);
/** Parses whose outcome reads the values themselves, not only their types. */
const READS_VALUES = /between|attribute_type/i;
const REMEMBERING = Symbol('remembers parses');

/** The values' placeholders and types, or undefined when a value is not one plain attribute value (left to dynalite). */
function valueTypes(values: Record<string, Json>): string | undefined {
  let signature = '';
  for (const placeholder of Object.keys(values)) {
    const value = values[placeholder];
    if (!value || typeof value !== 'object') return undefined;
    const types = Object.keys(value);
    if (types.length !== 1 || !TYPES.has(types[0]!) || value[types[0]!] == null) return undefined;
    signature += `${placeholder}:${types[0]!};`;
  }
  return signature;
}

/** Every object inside the values (not the values themselves): a tree holding one of these is not remembered. */
function insides(values: Record<string, Json>): Set<unknown> {
  const found = new Set<unknown>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object' || found.has(node)) return;
    found.add(node);
    for (const child of Object.values(node)) walk(child);
  };
  for (const value of Object.values(values)) for (const child of Object.values(value)) walk(child);
  return found;
}

const plainPrototype = (node: object) => {
  const prototype: unknown = Object.getPrototypeOf(node);
  return prototype === null || prototype === Object.prototype || prototype === Array.prototype;
};

/**
 * The tree with each value replaced by its placeholder; undefined if it holds anything a copy could not
 * reproduce (an object that is neither a plain object nor an array, a piece of a value, hidden properties).
 */
function template(tree: unknown, values: Record<string, Json>): unknown {
  const placeholders = new Map<unknown, string>(Object.entries(values).map(([placeholder, value]) => [value, placeholder]));
  const inside = insides(values);
  const copies = new Map<object, unknown>();
  let faithful = true;
  const copy = (node: unknown): unknown => {
    if (!node || typeof node !== 'object') return node;
    const placeholder = placeholders.get(node);
    if (placeholder !== undefined) return new ValueOf(placeholder);
    if (inside.has(node) || !plainPrototype(node) || Object.getOwnPropertySymbols(node).length > 0) faithful = false;
    const known = copies.get(node);
    if (known) return known;
    const keys = Object.keys(node);
    const own = Object.getOwnPropertyNames(node).filter((name) => !(Array.isArray(node) && name === 'length'));
    if (own.length !== keys.length) faithful = false;
    const out: Record<string, unknown> = Array.isArray(node)
      ? ([] as unknown as Record<string, unknown>)
      : Object.create(Object.getPrototypeOf(node));
    copies.set(node, out);
    for (const key of keys) out[key] = copy((node as Record<string, unknown>)[key]);
    return out;
  };
  const copied = copy(tree);
  return faithful ? copied : undefined;
}

/** A fresh tree from a template, with this request's own values in their places. */
function instantiate(node: unknown, values: Record<string, Json>, copies = new Map<object, unknown>()): unknown {
  if (!node || typeof node !== 'object') return node;
  if (node instanceof ValueOf) return values[node.placeholder];
  const known = copies.get(node);
  if (known) return known;
  const out: Record<string, unknown> = Array.isArray(node) ? ([] as unknown as Record<string, unknown>) : Object.create(Object.getPrototypeOf(node));
  copies.set(node, out);
  for (const key of Object.keys(node)) out[key] = instantiate((node as Record<string, unknown>)[key], values, copies);
  return out;
}

const allTrue = (record: object | null | undefined): Record<string, boolean> =>
  Object.fromEntries(Object.keys(record ?? {}).map((key) => [key, true]));

/** `parse`, answering an expression it has parsed before (same names, same value types) from memory. */
export function rememberingParse(parse: Parse, maxEntries = MAX_ENTRIES): Parse & { entries(): number; answeredFromMemory(): number } {
  const memory = new Map<string, Remembered>();
  let fromMemory = 0;
  const remembering = (expression: string, options: { context: ParseContext } & Json): unknown => {
    const context = options.context;
    const values = context.attrVals ?? {};
    const types = typeof expression === 'string' && !READS_VALUES.test(expression) ? valueTypes(values) : undefined;
    if (types === undefined) return parse(expression, options);
    const key = `${expression}\u0000${JSON.stringify(context.attrNames ?? null)}\u0000${types}`;
    let known = memory.get(key);
    if (known === undefined) {
      // Parsed with unused lists of its own, so that what this expression uses is seen apart from what another
      // expression of the same request struck off before it.
      const unusedAttrNames = allTrue(context.attrNames);
      const unusedAttrVals = allTrue(context.attrVals);
      const tree = parse(expression, { ...options, context: { ...context, unusedAttrNames, unusedAttrVals } });
      const shape = tree && typeof tree === 'object' ? template(tree, values) : undefined;
      const usedNames = Object.keys(context.attrNames ?? {}).filter((name) => !(name in unusedAttrNames));
      const usedValues = Object.keys(values).filter((placeholder) => !(placeholder in unusedAttrVals));
      if (shape === undefined) {
        strike(context, usedNames, usedValues);
        return tree;
      }
      known = { tree: shape, usedNames, usedValues };
      if (memory.size >= maxEntries) memory.delete(memory.keys().next().value!);
      memory.set(key, known);
      strike(context, usedNames, usedValues);
      return tree;
    }
    strike(context, known.usedNames, known.usedValues);
    fromMemory++;
    return instantiate(known.tree, values);
  };
  return Object.assign(remembering, { entries: () => memory.size, answeredFromMemory: () => fromMemory });
}

function strike(context: ParseContext, names: string[], values: string[]) {
  if (context.unusedAttrNames) for (const name of names) delete context.unusedAttrNames[name];
  if (context.unusedAttrVals) for (const value of values) delete context.unusedAttrVals[value];
}

/**
 * Makes the grammars of the dynalite at `dynaliteMain` (its index.js) remember their parses. dynalite's
 * validations call `parser.parse` on the module object each time, so replacing `parse` there takes effect
 * whether or not dynalite is loaded yet. Once per module.
 */
export function rememberDynaliteParses(dynaliteMain: string): void {
  for (const name of PARSERS) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no types; the grammar is found by path
    const grammar = require(path.join(path.dirname(dynaliteMain), 'db', `${name}.js`)) as { parse: Parse & { [REMEMBERING]?: true } };
    if (grammar.parse[REMEMBERING]) continue;
    grammar.parse = Object.assign(rememberingParse(grammar.parse), { [REMEMBERING]: true as const });
  }
}

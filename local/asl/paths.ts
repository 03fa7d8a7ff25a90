// Paths and payload templates of the Amazon States Language (JSONPath flavour), as Step Functions
// evaluates them: reference paths (`$.a.b`, `$['a'].b[0]`, `$$.Task.Token`) for reading and for
// ResultPath, and `key.$` entries in Parameters and ResultSelector, which take a path or an intrinsic
// function. Anything this engine does not implement is refused when the definition is loaded, never
// silently evaluated differently.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An error raised by the States language itself (States.Runtime, States.IntrinsicFailure…). */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    cause: string,
  ) {
    super(cause);
    this.name = error;
  }
}

type Segment = string | number;

const cache = new Map<string, Segment[]>();

/** `$.a['b c'][2]` → ['a', 'b c', 2]. Throws for anything beyond a reference path. */
export function parseReferencePath(path: string): Segment[] {
  const cached = cache.get(path);
  if (cached) return cached;
  if (!path.startsWith('$')) throw new StatesError('States.Runtime', `Path ${path} must start with $`);
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = /^\.([A-Za-z_][\w-]*)/.exec(rest))) segments.push(match[1]!);
    else if ((match = /^\[(\d+)\]/.exec(rest))) segments.push(Number(match[1]));
    else if ((match = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest))) segments.push(match[1]!.replace(/\\(.)/g, '$1'));
    else throw new StatesError('States.Runtime', `The local engine supports reference paths only; cannot read ${path}`);
    rest = rest.slice(match[0].length);
  }
  cache.set(path, segments);
  return segments;
}

/** Reads a path: `$…` from the input, `$$…` from the context object. A missing field is States.Runtime. */
export function readPath(path: string, input: Json, context: Json): Json {
  const [root, reference] = path.startsWith('$$') ? [context, path.slice(1)] : [input, path];
  let value: Json | undefined = root;
  for (const segment of parseReferencePath(reference)) {
    if (value === null || typeof value !== 'object' || !(segment in (value as object))) {
      throw new StatesError('States.Runtime', `The JSONPath '${path}' could not be found in the input`);
    }
    value = (value as Record<string | number, Json>)[segment];
  }
  return value as Json;
}

/** ResultPath: `result` placed into `input` at `path` (null discards the result, `$` replaces the input). */
export function applyResultPath(path: string | null | undefined, input: Json, result: Json): Json {
  if (path === null) return input;
  if (path === undefined || path === '$') return result;
  const segments = parseReferencePath(path);
  const root: Json = structuredClone(input ?? {});
  if (root === null || typeof root !== 'object') {
    throw new StatesError('States.Runtime', `ResultPath ${path} cannot be applied to a non-object input`);
  }
  let target = root as Record<string | number, Json>;
  segments.forEach((segment, index) => {
    if (index === segments.length - 1) {
      target[segment] = result;
      return;
    }
    const next = target[segment];
    if (next === undefined || next === null || typeof next !== 'object') target[segment] = {};
    target = target[segment] as Record<string | number, Json>;
  });
  return root;
}

/** InputPath and OutputPath: null means `{}`, absent means the whole value. */
export function selectPath(path: string | null | undefined, value: Json, context: Json): Json {
  if (path === null) return {};
  if (path === undefined || path === '$') return value;
  return readPath(path, value, context);
}

/** Parameters and ResultSelector: `key.$` entries are evaluated, everything else is copied. */
export function applyTemplate(template: Json, input: Json, context: Json): Json {
  if (Array.isArray(template)) return template.map((entry) => applyTemplate(entry, input, context));
  if (template === null || typeof template !== 'object') return template;
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string') throw new StatesError('States.Runtime', `${key} must hold a path or an intrinsic function`);
      result[key.slice(0, -2)] = value.startsWith('$') ? readPath(value, input, context) : evaluateIntrinsic(value, input, context);
    } else {
      result[key] = applyTemplate(value, input, context);
    }
  }
  return result;
}

// Intrinsic functions: the ones this product's definitions use, and a few neighbours. Others are refused.
const intrinsics: Record<string, (args: Json[]) => Json> = {
  'States.Format': ([template, ...values]) => {
    if (typeof template !== 'string') throw new StatesError('States.IntrinsicFailure', 'States.Format needs a template string');
    let next = 0;
    const text = template.replace(/\\([{}\\'])|\{\}/g, (_whole, escaped: string | undefined) => {
      if (escaped) return escaped;
      if (next >= values.length) throw new StatesError('States.IntrinsicFailure', 'States.Format has more {} than arguments');
      const value = values[next++];
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
    if (next !== values.length) throw new StatesError('States.IntrinsicFailure', 'States.Format has more arguments than {}');
    return text;
  },
  'States.JsonToString': ([value]) => JSON.stringify(value),
  'States.StringToJson': ([value]) => {
    if (typeof value !== 'string') throw new StatesError('States.IntrinsicFailure', 'States.StringToJson needs a string');
    return JSON.parse(value) as Json;
  },
  'States.Array': (values) => values,
  'States.MathAdd': ([a, b]) => {
    if (typeof a !== 'number' || typeof b !== 'number') throw new StatesError('States.IntrinsicFailure', 'States.MathAdd needs two numbers');
    return a + b;
  },
};

export function isSupportedIntrinsic(text: string): boolean {
  const name = /^(States\.\w+)\(/.exec(text.trim())?.[1];
  return name !== undefined && name in intrinsics;
}

function evaluateIntrinsic(text: string, input: Json, context: Json): Json {
  const parser = { text: text.trim(), at: 0 };
  const value = parseCall(parser, input, context);
  if (parser.at !== parser.text.length) throw new StatesError('States.Runtime', `Cannot parse ${text}`);
  return value;
}

function parseCall(p: { text: string; at: number }, input: Json, context: Json): Json {
  const name = /^States\.\w+/.exec(p.text.slice(p.at))?.[0];
  const fn = name ? intrinsics[name] : undefined;
  if (!name || !fn) throw new StatesError('States.Runtime', `The local engine does not implement ${p.text}`);
  p.at += name.length;
  expect(p, '(');
  const args: Json[] = [];
  skipSpace(p);
  while (p.text[p.at] !== ')') {
    args.push(parseArgument(p, input, context));
    skipSpace(p);
    if (p.text[p.at] === ',') p.at++;
    skipSpace(p);
  }
  p.at++;
  return fn(args);
}

function parseArgument(p: { text: string; at: number }, input: Json, context: Json): Json {
  const rest = p.text.slice(p.at);
  if (rest.startsWith("'")) {
    let value = '';
    let i = p.at + 1;
    for (; i < p.text.length && p.text[i] !== "'"; i++) {
      // Inside a string argument a backslash keeps the next character (and, for \{ \}, the backslash too,
      // so that States.Format sees an escaped brace).
      if (p.text[i] === '\\') {
        const next = p.text[++i]!;
        value += next === '{' || next === '}' ? `\\${next}` : next;
      } else value += p.text[i];
    }
    p.at = i + 1;
    return value;
  }
  if (rest.startsWith('States.')) return parseCall(p, input, context);
  const token = /^[^,)\s]+/.exec(rest)?.[0] ?? '';
  p.at += token.length;
  if (token.startsWith('$')) return readPath(token, input, context);
  if (token === 'null') return null;
  if (token === 'true' || token === 'false') return token === 'true';
  const number = Number(token);
  if (token === '' || Number.isNaN(number)) throw new StatesError('States.Runtime', `Cannot read the argument ${token}`);
  return number;
}

function expect(p: { text: string; at: number }, char: string): void {
  if (p.text[p.at] !== char) throw new StatesError('States.Runtime', `Expected ${char} in ${p.text}`);
  p.at++;
}

function skipSpace(p: { text: string; at: number }): void {
  while (p.text[p.at] === ' ') p.at++;
}

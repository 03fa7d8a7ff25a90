import { config, iso, pipe, transform, type core, type ZodMiniPipe } from 'zod/mini';
import { en } from 'zod/locales';

// Every schema of the Lambda code is built with zod/mini, zod's tree-shakable build: a bundle keeps only the
// schema kinds and checks it uses (~45 KiB for the complaint's), where classic zod carries every method,
// toJSONSchema included, into every function (~105 KiB; README, "Bundle sizes"). Schemas take `z` from here, never from 'zod' or
// 'zod/mini' directly (eslint.config.mjs), because zod/mini installs no messages of its own: without English
// every issue would read "Invalid input", and the problem+json answers name what is wrong in zod's words.
config(en());

export * from 'zod/mini';

/**
 * zod/mini has no `preprocess`: it is a transform piped into the schema, which is how classic zod builds it too.
 * Typed as classic types it: a field is as optional in the input as the schema it prepares for says.
 */
export function preprocess<S extends core.$ZodType>(
  prepare: (value: unknown) => unknown,
  schema: S,
): ZodMiniPipe<core.$ZodTransform, S> & core.$ZodPreprocess<S> {
  return pipe<core.$ZodTransform, S>(transform(prepare), schema);
}

/**
 * An instant as the product writes it (Date#toISOString, UTC). One schema for every such field: schemas are
 * immutable, and each `iso.datetime()` would build its own pattern and object at cold start (21 fields did).
 */
export const isoDateTime = iso.datetime();

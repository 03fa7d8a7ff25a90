import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { Charset, LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

// How every Lambda is bundled, once: the house construct hands `houseBundling` to NodejsFunction, and
// `scripts/bundle-sizes.ts` feeds `esbuildOptionsFor` to esbuild directly, so the sizes we report are the
// sizes we deploy.

/** The Node.js major version of the Lambda runtime; the house construct checks that its runtime matches. */
export const NODE_MAJOR = 24;

export const repositoryRoot = path.resolve(__dirname, '..');

export const houseBundling = {
  target: `node${NODE_MAJOR}`,
  format: OutputFormat.CJS,
  minify: true,
  // Linked source maps without the sources themselves: stack traces point at our .ts lines
  // (NODE_OPTIONS=--enable-source-maps). Node reads and parses the map (~200 KB for the largest bundles) when the
  // bundle loads: 6-16 ms of cold start measured on the busy dev machine (README, "Bundle sizes"), kept as the
  // price of readable traces; scripts/cold-init.ts measures with the same flag.
  sourceMap: true,
  sourcesContent: false,
  // Class and function names are minified like any other: keeping them (esbuild's keepNames) cost ~9-10 KiB per
  // bundle and a __name() call per function at every cold start. The workflow's Retry/Catch and the logs match
  // on error names, so every error class states its own (`override name = 'NotFound'`; DomainError makes it
  // abstract), and test/infra/bundles.infra.test.ts checks them in a bundle built with these options.
  keepNames: false,
  // Polish text as UTF-8 rather than \u escapes ("ó" is 2 bytes, not 6): the same strings, 0.3-1.2 KiB less per
  // bundle (Node reads a CommonJS file as UTF-8 either way).
  charset: Charset.UTF8,
  // Prefer packages' ES module builds (aws4fetch and @aws-sdk/util-dynamodb ship them) so esbuild can drop what
  // is not used.
  mainFields: ['module', 'main'],
  // Nothing is external, not even `@aws-sdk/*` (CDK's default leaves it to the runtime's copy): the functions
  // talk to AWS through their own small signed-fetch client (lambdas/adapters/aws-wire/), and the one SDK
  // package they use, @aws-sdk/util-dynamodb, runs at the version the tests ran (package-lock.json).
  externalModules: [],
  // Quiet synths and tests; `npx tsx scripts/bundle-sizes.ts` reports the sizes.
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/**
 * The esbuild options NodejsFunction derives from `houseBundling` (its CLI flags: `--bundle --platform=node
 * --target --format --minify --sourcemap --sources-content=false --charset --main-fields --external`).
 */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [path.resolve(repositoryRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: houseBundling.target,
    format: `${houseBundling.format}` as 'cjs' | 'esm', // OutputFormat's values are esbuild's names
    minify: houseBundling.minify,
    sourcemap: houseBundling.sourceMap,
    sourcesContent: houseBundling.sourcesContent,
    keepNames: houseBundling.keepNames,
    charset: houseBundling.charset,
    mainFields: [...houseBundling.mainFields],
    external: [...houseBundling.externalModules],
    absWorkingDir: repositoryRoot,
    logLevel: houseBundling.logLevel,
  };
}

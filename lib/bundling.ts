import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { AssetStaging } from 'aws-cdk-lib';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

// How every Lambda is bundled, once: the house construct hands `houseBundling` to NodejsFunction, and
// `scripts/bundle-sizes.ts` feeds `esbuildOptionsFor` to esbuild directly, so the sizes we report are the
// sizes we deploy.

/** The Node.js major version of the Lambda runtime; the house construct checks that its runtime matches. */
export const NODE_MAJOR = 24;

export const repositoryRoot = path.resolve(__dirname, '..');

/**
 * Packages replaced in every Lambda bundle (esbuild's alias; paths relative to the repository root, which is
 * esbuild's working directory in local and in Docker bundling alike). The SDK clients import the whole default
 * credential chain for their `credentialDefaultProvider`, which esbuild cannot drop; in Lambda the credentials
 * are the environment's, so the chain is replaced by its first link (see lambdas/adapters/lambda-credentials.ts).
 */
export const bundleAliases = {
  '@aws-sdk/credential-provider-node': './lambdas/adapters/lambda-credentials.ts',
} as const;

export const houseBundling = {
  target: `node${NODE_MAJOR}`,
  format: OutputFormat.CJS,
  minify: true,
  // Linked source maps without the sources themselves: stack traces point at our .ts lines
  // (NODE_OPTIONS=--enable-source-maps) while the map stays small enough not to slow the cold start.
  sourceMap: true,
  sourcesContent: false,
  // Domain errors take their name from their class (`this.name = new.target.name`), and the workflow's
  // Retry/Catch match on error names: minification must not rename classes.
  keepNames: true,
  // Prefer packages' ES module builds (the AWS SDK ships them) so esbuild can drop what is not used.
  mainFields: ['module', 'main'],
  // `@aws-sdk/*` is bundled, not left to the runtime's copy: the function then runs the very SDK version
  // the tests ran (package-lock.json), not whatever AWS last put in the runtime, and a minified,
  // tree-shaken client loads faster than the runtime's full SDK packages. Nothing is external.
  bundleAwsSDK: true,
  externalModules: [],
  esbuildArgs: { '--alias': Object.entries(bundleAliases).map(([module, replacement]) => `${module}=${replacement}`) },
  // Docker bundling (only when esbuild is not installed) runs in the bundling input folder, as local bundling
  // runs in the project root, so that the aliases' relative paths resolve in both.
  workingDirectory: AssetStaging.BUNDLING_INPUT_DIR,
  // Quiet synths and tests; `npx tsx scripts/bundle-sizes.ts` reports the sizes.
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/**
 * The esbuild options NodejsFunction derives from `houseBundling` (its CLI flags: `--bundle --platform=node
 * --target --format --minify --sourcemap --sources-content=false --keep-names --main-fields --external --alias`).
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
    mainFields: [...houseBundling.mainFields],
    external: [...houseBundling.externalModules],
    alias: { ...bundleAliases },
    absWorkingDir: repositoryRoot,
    logLevel: houseBundling.logLevel,
  };
}

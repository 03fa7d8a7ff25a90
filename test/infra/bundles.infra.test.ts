import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { functions, type FunctionName } from '../../lambdas/functions';
import { esbuildOptionsFor, repositoryRoot } from '../../lib/bundling';

// What goes into each Lambda bundle, built exactly as the house construct builds it (lib/bundling.ts): the
// functions talk to AWS through their own signed-fetch client (lambdas/adapters/aws-wire/), so no bundle
// carries an AWS SDK client, the document client, @smithy/* or a credential provider, and a function carries
// only the services' modules its code sends with.

type Service = 'dynamodb' | 'sesv2' | 'sfn' | 'secrets-manager';

const servicesUsed: Record<FunctionName, Service[]> = {
  health: [],
  openapi: [],
  intake: ['dynamodb'],
  // Secrets Manager for the sources' secrets, read once per cold start (lambdas/adapters/webhook-sources-store.ts).
  webhookIntake: ['dynamodb', 'secrets-manager'],
  customerStatus: ['dynamodb', 'sfn'], // a customer's reply wakes the waiting workflow
  recordDelivery: ['dynamodb', 'sesv2'], // a bounced answer alerts staff
  workflowStarter: ['sfn'],
  registerWait: ['dynamodb', 'sfn'],
  advanceComplaint: ['dynamodb', 'sesv2', 'sfn'],
  // Secrets Manager for the shop's Admin API token, in the webhook sources' secret (lambdas/handlers/compose-platforms.ts).
  lookUpPlatformOrder: ['dynamodb', 'secrets-manager'],
  reportDecisionToShop: ['dynamodb', 'secrets-manager'],
  // Secrets Manager for the cursor key, read on the first list or history page (lambdas/adapters/sealed-cursors.ts).
  staffReads: ['dynamodb', 'secrets-manager'],
  // An information request's e-mail, a decision waking the workflow; the answer's history page is sealed too.
  staffChanges: ['dynamodb', 'sesv2', 'sfn', 'secrets-manager'],
  // A redriven dead letter starts a delivery execution.
  staffWebhooks: ['dynamodb', 'sfn'],
  decisionLetter: ['dynamodb'],
  webhookDispatcher: ['dynamodb', 'sfn'],
  // The subscriber's POST is node's own http/https: no AWS client but DynamoDB.
  deliverWebhook: ['dynamodb'],
};

/** The only package of the AWS SDK a Lambda bundle may carry: DynamoDB's marshalling (~5 KiB, no dependencies). */
const SDK_PACKAGES_ALLOWED = ['@aws-sdk/util-dynamodb'];

/**
 * Issue 10 item 7's goal is every bundle at most 150 KiB of minified JavaScript (what `npm run bench` reports; the
 * source map is a file of its own), and every bundle meets it: the largest are staffChanges (~149.8 KiB, the
 * staff writes with registration) and intake (~147.3 KiB). The decision letter (~140.3 KiB) carries the letter
 * printer (lambdas/adapters/pdf/, ~6 KiB) and the packed DejaVu Serif subset (~26 KiB as base64); it was
 * 1,565 KiB with pdf-lib and fontkit. README, "Bundle sizes", has the breakdown. The staff API is three functions
 * (lambdas/functions.ts) because as one it was 187 KiB.
 */
const GOAL_KIB = 150;
const ceilingKiB: Record<FunctionName, number> = {
  health: GOAL_KIB,
  openapi: GOAL_KIB,
  workflowStarter: GOAL_KIB,
  intake: GOAL_KIB,
  webhookIntake: GOAL_KIB,
  customerStatus: GOAL_KIB,
  recordDelivery: GOAL_KIB,
  registerWait: GOAL_KIB,
  advanceComplaint: GOAL_KIB,
  lookUpPlatformOrder: GOAL_KIB,
  reportDecisionToShop: GOAL_KIB,
  staffReads: GOAL_KIB,
  // ~149.8 KiB: registration (intake's ports) is the next thing to move out if it grows.
  staffChanges: GOAL_KIB,
  staffWebhooks: GOAL_KIB,
  decisionLetter: GOAL_KIB,
  webhookDispatcher: GOAL_KIB,
  deliverWebhook: GOAL_KIB,
};

interface Bundle {
  /** The packages the minified output keeps code of. */
  packages: Set<string>;
  /** The modules (paths under the repository) it keeps code of. */
  modules: string[];
  /** The modules of lambdas/adapters/aws-wire/ it keeps code of, e.g. `sesv2-api`. */
  wireModules: Set<string>;
  /** Bytes of minified JavaScript. */
  bytes: number;
}

async function bundleOf(name: FunctionName): Promise<Bundle> {
  const outfile = path.join(os.tmpdir(), 'reklamacje-bundle-contents', name, 'index.js');
  const result = await build({ ...esbuildOptionsFor(functions[name].entry, outfile), write: false, metafile: true });
  // The output's inputs, not the build's: esbuild reads every imported module, and drops what is not used.
  const output = Object.values(result.metafile.outputs).find((file) => file.entryPoint !== undefined)!;
  const kept = Object.entries(output.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([input]) => input);
  const packages = kept.map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1]);
  const wireModules = kept.map((input) => /lambdas\/adapters\/aws-wire\/([^/]+)\.ts$/.exec(input)?.[1]);
  return {
    packages: new Set(packages.filter((name): name is string => name !== undefined)),
    modules: kept,
    wireModules: new Set(wireModules.filter((name): name is string => name !== undefined)),
    bytes: output.bytes,
  };
}

describe.each(Object.keys(functions) as FunctionName[])('the %s bundle', (name) => {
  let bundle: Bundle;
  beforeAll(async () => {
    bundle = await bundleOf(name);
  }, 60_000);

  it(`is at most ${ceilingKiB[name]} KiB minified`, () => {
    expect(bundle.bytes).toBeLessThanOrEqual(ceilingKiB[name] * 1024);
  });

  it('carries no AWS SDK client, document client, @smithy package or credential provider', () => {
    const sdk = [...bundle.packages].filter((pkg) => pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg.startsWith('@aws-crypto/'));
    expect(sdk.filter((pkg) => !SDK_PACKAGES_ALLOWED.includes(pkg))).toEqual([]);
  });

  it('carries exactly the AWS services its function uses', () => {
    const services = [...bundle.wireModules]
      .filter((module) => module.endsWith('-api'))
      .map((module) => module.slice(0, -'-api'.length))
      .sort();
    expect(services).toEqual([...servicesUsed[name]].sort());
  });

  // Classic zod's schemas carry every method (toJSONSchema included) whatever the code calls: ~105 KiB where
  // zod/mini keeps only the checks used (lambdas/core/zod.ts). The openapi function serves the committed document
  // and carries no zod at all.
  it("carries zod's tree-shakable build only, never classic zod", () => {
    expect(bundle.modules.filter((module) => /node_modules\/zod\/(v4\/)?classic\//.test(module))).toEqual([]);
  });
});

// The bundles are minified without keepNames (lib/bundling.ts), so a class's own name is gone in Lambda; error
// names are what the workflow's Retry/Catch, problem.ts and the logs match on, and each error class states its
// own. Every module under lambdas/ that exports a class is bundled as a function's code is, and each exported
// error, constructed there, must still bear its export's name.
describe('error classes in a minified bundle', () => {
  /** Not named after its class: AwsServiceError takes the service's error name; DomainError is abstract. */
  const namedOtherwise = new Set(['AwsServiceError', 'DomainError']);
  let errors: { exported: string; name: string }[];
  beforeAll(async () => {
    const lambdas = path.join(repositoryRoot, 'lambdas');
    const modules = readdirSync(lambdas, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && /^export (abstract )?class /m.test(readFileSync(path.join(lambdas, file), 'utf8')))
      .map((file) => `./lambdas/${file.replace(/\.ts$/, '')}`);
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'reklamacje-error-names-'));
    try {
      const outfile = path.join(outdir, 'index.js');
      await build({
        ...esbuildOptionsFor('lambdas/handlers/health.handler.ts', outfile),
        entryPoints: undefined,
        stdin: {
          contents: modules.map((module, index) => `export * as m${index} from ${JSON.stringify(module)};`).join('\n'),
          loader: 'ts',
          resolveDir: repositoryRoot,
          sourcefile: 'error-names.ts',
        },
        logLevel: 'error',
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle just built, as Lambda loads it
      const bundle = require(outfile) as Record<string, Record<string, unknown>>;
      // One argument fits every error's constructor: a message, a list of issues or of names, a number of seconds.
      const anyArgument: unknown[] = [];
      errors = Object.values(bundle)
        .flatMap((exports) => Object.entries(exports))
        .filter(([exported, value]) => typeof value === 'function' && value.prototype instanceof Error && !namedOtherwise.has(exported))
        .map(([exported, value]) => ({
          exported,
          name: Reflect.construct<unknown[], Error>(value as new (...args: unknown[]) => Error, [anyArgument, anyArgument, anyArgument]).name,
        }));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);

  it("covers the domain errors and the adapters' errors", () => {
    expect(errors.map(({ exported }) => exported)).toEqual(
      expect.arrayContaining(['NotFound', 'VersionConflict', 'CustomerHasNoEmail', 'EmailTemporarilyUnavailable', 'UnknownPolicy']),
    );
  });

  it('keeps every error named after its class', () => {
    expect(errors.filter(({ exported, name }) => name !== exported)).toEqual([]);
  });
});

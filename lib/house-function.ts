import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { houseBundling, NODE_MAJOR, repositoryRoot } from './bundling';

// The one house Lambda construct (STYLE.md §7): runtime, architecture, bundling, logs and tracing are decided
// here, once. Functions differ only in entry, sizing, environment and the grants given to them afterwards.

/** The newest Node.js runtime this aws-cdk-lib knows; cdk-nag (AwsSolutions-L1) asks for the latest. */
const runtime = lambda.Runtime.NODEJS_24_X;
if (runtime.name !== `nodejs${NODE_MAJOR}.x`) {
  throw new Error(`The house runtime ${runtime.name} and the bundling target node${NODE_MAJOR} disagree`);
}

export interface HouseFunctionProps {
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Seconds. */
  readonly timeout: number;
  /** MB. */
  readonly memory: number;
  /** Added to the house variables (NODE_OPTIONS), never replacing them. */
  readonly environment?: Record<string, string>;
  /**
   * Configuration files the bundle carries under config/ (name → content), read at cold start by
   * lambdas/adapters/config-files.ts: files, not variables, since Lambda allows 4 KB for all variables.
   */
  readonly configFiles?: Record<string, string>;
  /** A cap on the function's concurrency (see `reservedConcurrency` in lambdas/functions.ts). */
  readonly reservedConcurrency?: number;
}

export class HouseFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);

    // Operational logs only (the logger masks personal data). Three months: long enough to investigate a
    // complaint's whole handling (answer periods are 14 to 30 days), short enough not to become an archive.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every log group
    // in the account, this role only to the function's own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.resolve(repositoryRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memory,
      timeout: Duration.seconds(props.timeout),
      role: this.role,
      logGroup: this.logGroup,
      // The logger writes JSON lines with a level (lambdas/adapters/logger.ts): Lambda keeps those at or above
      // the function's application log level, which an operator can raise without a deployment, and the logger
      // skips the others before building them (AWS_LAMBDA_LOG_LEVEL).
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: repositoryRoot,
      depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
      bundling: { ...houseBundling, commandHooks: configFileHooks(props.configFiles ?? {}) },
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        ...props.environment,
        NODE_OPTIONS: ['--enable-source-maps', props.environment?.NODE_OPTIONS].filter(Boolean).join(' '),
      },
    });

    // test/infra checks that `*` appears with exactly these actions and no others.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only for actions that support no resource-level permissions: xray:PutTraceSegments and ' +
        'xray:PutTelemetryRecords (active tracing) and, for a function fed by a DynamoDB stream, ' +
        'dynamodb:ListStreams (added by the event source).',
    });
  }

  /** Adds a variable to the function's environment; the existing ones stay. */
  addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }
}

/**
 * Copies `files` into the bundle's config/ folder after esbuild ran. The files are staged under the project
 * root (the bundling input, so the copy works for local and Docker bundling alike) in a folder named by their
 * hash; the asset hash is taken from the output, so a changed file is a new deployment of the function.
 */
function configFileHooks(files: Record<string, string>) {
  const names = Object.keys(files).sort();
  const hash = createHash('sha256')
    .update(JSON.stringify(names.map((name) => [name, files[name]])))
    .digest('hex')
    .slice(0, 16);
  const staged = path.posix.join('node_modules', '.cache', 'reklamacje-config', hash);
  if (names.length > 0) {
    mkdirSync(path.join(repositoryRoot, staged), { recursive: true });
    for (const name of names) {
      if (!/^[\w.-]+\.json$/.test(name)) throw new Error(`Configuration file name ${name} must be a plain *.json name`);
      writeFileSync(path.join(repositoryRoot, staged, name), files[name]!);
    }
  }
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) =>
      names.length === 0
        ? []
        : [`mkdir -p "${outputDir}/config"`, ...names.map((name) => `cp "${inputDir}/${staged}/${name}" "${outputDir}/config/${name}"`)],
  };
}

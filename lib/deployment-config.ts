import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { configFiles, repositoryConfigDirectory, type ConfigFileName, type ConfigFileSpec } from '../lambdas/adapters/config-files';
import { functions } from '../lambdas/functions';

// The deployment's configuration files, read and validated at synth: a file that would stop the functions at
// cold start stops `cdk synth` instead, naming the file and the problem. The validated files then travel in
// the bundles of the functions that read them (HouseFunction's `configFiles`), never in environment variables.

export interface DeploymentConfigFile {
  /** What is deployed (the file as written, re-serialized without whitespace). */
  readonly content: string;
  /** Where it came from, for messages: the context's file, the repository's demo file or the built-in default. */
  readonly source: string;
  /** Whether it is the repository's demo file, shipped because no context named the deployment's own. */
  readonly demo: boolean;
}

export class DeploymentConfig {
  constructor(readonly files: Readonly<Record<ConfigFileName, DeploymentConfigFile>>) {}

  /** The files a function's bundle carries, by their name under config/. */
  filesFor(functionName: string): Record<string, string> {
    return Object.fromEntries(
      (Object.entries(configFiles) as [ConfigFileName, ConfigFileSpec][])
        .filter(([, spec]) => spec.readBy === 'all' || spec.readBy.includes(functionName))
        .map(([name, spec]) => [spec.file, this.files[name].content]),
    );
  }

  /**
   * What shows this is a demo: each file that is the repository's demo file (no context named one) and every
   * e-mail address in the files on a reserved example domain.
   */
  demoFindings(): string[] {
    return (Object.entries(this.files) as [ConfigFileName, DeploymentConfigFile][]).flatMap(([name, file]) => [
      ...(file.demo ? [`${name}: the demo file ${file.source} (give -c ${configFiles[name].context}=FILE)`] : []),
      ...emailsIn(JSON.parse(file.content))
        .filter(isDemoAddress)
        .map((address) => `${name} (${file.source}): ${address}`),
    ]);
  }
}

/** Reads each registered file from the file its context names, or the repository's demo file, or the default. */
export function readDeploymentConfig(context: (name: string) => string | undefined): DeploymentConfig {
  const catalog = new Set(Object.keys(functions));
  const files = Object.fromEntries(
    (Object.entries(configFiles) as [ConfigFileName, ConfigFileSpec][]).map(([name, spec]) => {
      if (spec.readBy !== 'all') {
        const unknown = spec.readBy.filter((fn) => !catalog.has(fn));
        if (unknown.length > 0)
          throw new Error(`Configuration file ${name} is read by ${unknown.join(', ')}, which lambdas/functions.ts does not list`);
      }
      const named = context(spec.context);
      const file = named ?? (spec.shipRepositoryFile && spec.repositoryFile ? path.join(repositoryConfigDirectory, spec.repositoryFile) : undefined);
      const json = file === undefined ? spec.fallback : readJson(file, spec.context);
      const source = file === undefined ? `the default: ${JSON.stringify(spec.fallback)}` : path.relative(process.cwd(), file) || file;
      spec.load(json, source);
      if (named !== undefined) refuseDemoKeys(json, source);
      return [name, { content: JSON.stringify(json), source, demo: named === undefined && file !== undefined }];
    }),
  ) as Record<ConfigFileName, DeploymentConfigFile>;
  return new DeploymentConfig(files);
}

function readJson(file: string, context: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Context ${context}: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Context ${context}: ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The local demo keys open the local product only; a deployed file carrying them is a mistake, so say so. */
function refuseDemoKeys(json: unknown, source: string): void {
  if (JSON.stringify(json).includes('"localAccessKeyId"') || JSON.stringify(json).includes('"localSecretAccessKey"')) {
    throw new Error(
      `${source} carries local demo keys (localAccessKeyId/localSecretAccessKey): a deployment's staff directory lists principalArn only`,
    );
  }
}

const EMAIL = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/;

/**
 * Domains reserved for examples and tests (RFC 2606, RFC 6761): mail to them never reaches anyone, so an address
 * there means demo configuration, not a deployment.
 */
export function isDemoAddress(address: string): boolean {
  const domain = EMAIL.exec(address.trim())?.[1]?.toLowerCase();
  if (!domain) return false;
  return /(^|\.)(example|test|invalid|localhost)$/.test(domain) || /(^|\.)example\.(com|net|org)$/.test(domain);
}

function emailsIn(node: unknown): string[] {
  if (typeof node === 'string') return EMAIL.test(node) ? [node] : [];
  if (Array.isArray(node)) return node.flatMap(emailsIn);
  if (node && typeof node === 'object') return Object.values(node).flatMap(emailsIn);
  return [];
}

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCompanyProfile } from '../core/company-profile';
import { loadDepartmentRules } from '../core/department-rules';
import { parsePolicyFile } from '../core/policy-config';
import { loadStaffDirectory } from '../http/staff-identity';

// A deployment's configuration files: departments and their addresses, its own deadline policies, who is who on
// the staff API. They are files, not environment variables: Lambda allows 4 KB for all variables together,
// and a 200-person staff directory alone is ~40 KB. `cdk synth` validates each file with the loader below and
// copies it into the bundle of every function that reads it (`config/<file>` beside index.js); at cold start
// this adapter reads it from there. Locally (no LAMBDA_TASK_ROOT) the same adapter reads the repository's
// config/ folder, with the demo staff directory. One file more is one spec more here, listed in `configFiles`.

export interface ConfigFileSpec {
  /** Its key in `configFiles`, as messages name it. */
  readonly name: string;
  /** Its name in a function's bundle, under config/. */
  readonly file: string;
  /** The CDK context naming the deployment's own file (`-c <context>=path/to/file.json`). */
  readonly context: string;
  /** The repository file (under config/) the local product reads, and a deployment ships when no context names one. */
  readonly repositoryFile?: string;
  /** What a deployment ships when no context names a file and the file is not `shipRepositoryFile`. */
  readonly fallback?: unknown;
  /**
   * Whether a deployment without the context ships `repositoryFile` rather than `fallback`. That file is the
   * demo's, so the demo guard then refuses `cdk deploy` unless -c demo=true.
   */
  readonly shipRepositoryFile: boolean;
  /** 'all' functions, or only those named (the staff directory stays with the staff API). */
  readonly readBy: 'all' | readonly string[];
  /** Validates the parsed JSON, throwing an error that names `source` and the problem. */
  readonly load: (json: unknown, source: string) => unknown;
}

export const departmentsFile = {
  name: 'departments',
  file: 'departments.json',
  context: 'departments',
  repositoryFile: 'departments.json',
  // Without -c departments a deployment routes to the demo departments (*.example addresses).
  shipRepositoryFile: true,
  readBy: 'all',
  load: (json: unknown, source: string) => loadDepartmentRules(json, source),
} as const satisfies ConfigFileSpec;

export const companyFile = {
  name: 'company',
  file: 'company.json',
  context: 'company',
  repositoryFile: 'company.json',
  // The demo company's ADR position and appeal routes: the demo guard stops `cdk deploy` without -c company.
  shipRepositoryFile: true,
  readBy: 'all',
  load: (json: unknown, source: string) => parseCompanyProfile(json, source),
} as const satisfies ConfigFileSpec;

export const customPoliciesFile = {
  name: 'customPolicies',
  file: 'policies.custom.json',
  context: 'customPolicies',
  fallback: { policies: [] },
  shipRepositoryFile: false,
  readBy: 'all',
  load: (json: unknown, source: string) => parsePolicyFile(json, source),
} as const satisfies ConfigFileSpec;

export const staffDirectoryFile = {
  name: 'staffDirectory',
  file: 'staff.json',
  context: 'staffDirectory',
  repositoryFile: 'staff.local.json',
  // Never the demo keys in AWS: without -c staffDirectory nobody may use the staff API.
  fallback: { staff: [] },
  shipRepositoryFile: false,
  readBy: ['staffReads', 'staffChanges', 'staffWebhooks', 'decisionLetter'],
  load: (json: unknown, source: string) => {
    try {
      return loadStaffDirectory(json);
    } catch (error) {
      throw new Error(`${source}: ${(error as Error).message}`);
    }
  },
} as const satisfies ConfigFileSpec;

// Each file's spec a constant of its own, and the table only for the tools that go through them all (CDK, the
// demo guard, tests): a function reading one file through `readConfig` bundles that file's loader alone. Through
// the table, every function that read any file built the schemas of all four at cold start (the department
// rules', the staff directory's, the company's, the policies').
export const configFiles = {
  departments: departmentsFile,
  company: companyFile,
  customPolicies: customPoliciesFile,
  staffDirectory: staffDirectoryFile,
} as const;

export type ConfigFileName = keyof typeof configFiles;
export type ConfigFile<K extends ConfigFileName> = ReturnType<(typeof configFiles)[K]['load']>;

/** The repository's config/ folder: what the local product reads. */
export const repositoryConfigDirectory = path.resolve(__dirname, '../../config');

/** Where a function finds its files: `config/` in its bundle in Lambda, the repository's config/ locally. */
export function configLocation(env: NodeJS.ProcessEnv = process.env): { directory: string; deployed: boolean } {
  const taskRoot = env.LAMBDA_TASK_ROOT;
  return taskRoot ? { directory: path.join(taskRoot, 'config'), deployed: true } : { directory: repositoryConfigDirectory, deployed: false };
}

/** `readConfig` by the file's name in `configFiles`: for tools and tests, which may read any file. */
export function readConfigFile<K extends ConfigFileName>(name: K, location = configLocation()): ConfigFile<K> {
  return readConfig(configFiles[name], location);
}

/**
 * Reads and validates one configuration file (once per process: callers keep the result, see compose.ts).
 * Fails naming the file and the problem: a missing file, JSON that does not parse, content the loader refuses.
 */
export function readConfig<S extends ConfigFileSpec>(spec: S, location = configLocation()): ReturnType<S['load']> {
  const { name } = spec;
  const file = location.deployed ? spec.file : spec.repositoryFile;
  if (file === undefined) return spec.load(spec.fallback, `the default ${name} (no file)`) as ReturnType<S['load']>;
  const source = path.join(location.directory, file);
  if (!existsSync(source)) {
    throw new Error(
      location.deployed
        ? `Configuration file config/${file} is not in this function's bundle: add the function to readBy of ${name} in lambdas/adapters/config-files.ts`
        : `Configuration file ${source} is missing`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(source, 'utf8'));
  } catch (error) {
    throw new Error(`Configuration file ${source} is not valid JSON: ${(error as Error).message}`);
  }
  return spec.load(json, source) as ReturnType<S['load']>;
}

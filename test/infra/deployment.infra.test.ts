import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, PLACEHOLDER_SENDER } from '../../bin/app';
import { DEMO_PARAMETER, DEMO_RULE } from '../../lib/demo-guard';
import { isDemoAddress, readDeploymentConfig } from '../../lib/deployment-config';

// What a deployment is made of: its region, its configuration files and the guard against demo configuration.
// Bundling is skipped here (`aws:cdk:bundling-stacks`): these are decisions of the app, not of the bundles,
// which stacks.infra.test.ts checks with real bundling.

const folder = mkdtempSync(path.join(tmpdir(), 'deployment-'));
const repositoryDepartments = JSON.parse(readFileSync(path.join(__dirname, '../../config/departments.json'), 'utf8'));

/** The demo departments with real-looking addresses: what a shop would give with -c departments=FILE. */
const REAL_DEPARTMENTS = path.join(folder, 'departments.json');
writeFileSync(REAL_DEPARTMENTS, JSON.stringify(repositoryDepartments).replaceAll('@sklep.example', '@twoj-sklep.pl'));

/** The demo company file stands in for a real one: it names no e-mail address, only given by context here. */
const COMPANY = path.join(folder, 'company.json');
writeFileSync(COMPANY, readFileSync(path.join(__dirname, '../../config/company.json'), 'utf8'));

const REAL = { senderAddress: 'reklamacje@twoj-sklep.pl', alertEmail: 'dyzur@twoj-sklep.pl', departments: REAL_DEPARTMENTS, company: COMPANY };

function synth(context: Record<string, string> = {}) {
  return buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
}

function file(name: string, json: unknown): string {
  const where = path.join(folder, name);
  writeFileSync(where, typeof json === 'string' ? json : JSON.stringify(json));
  return where;
}

describe('the demo guard', () => {
  it('lets a template with demo addresses synthesize, offline, but not deploy: a CloudFormation rule refuses it, naming them', () => {
    const built = synth();
    for (const stack of [built.stateful, built.application]) {
      const template = Template.fromStack(stack).toJSON();
      expect(template.Parameters[DEMO_PARAMETER]).toMatchObject({ Type: 'String', Default: 'demo', AllowedValues: ['demo'] });
      const [assertion] = template.Rules[DEMO_RULE].Assertions;
      // Always false: the only value the parameter may take is the one the assertion refuses.
      expect(assertion.Assert).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: DEMO_PARAMETER }, 'demo'] }] });
      expect(assertion.AssertDescription).toContain(PLACEHOLDER_SENDER);
      expect(assertion.AssertDescription).toContain('reklamacje@sklep.example'); // the demo triage department
      expect(assertion.AssertDescription).toContain('-c demo=true');
      expect(assertion.AssertDescription.length).toBeLessThanOrEqual(1024);
    }
    Annotations.fromStack(built.application).hasWarning('*', Match.stringLikeRegexp('Demo configuration .* cannot be deployed'));
  });

  it.each([
    ['a real sender but the demo departments', { ...REAL, departments: '' }, 'departments (config/departments.json): reklamacje@sklep.example'],
    ['the demo company file', { ...REAL, company: '' }, 'company: the demo file config/company.json'],
    ['real departments but an example sender', { ...REAL, senderAddress: 'shop@sklep.example' }, 'senderAddress: shop@sklep.example'],
    ['an example alert address', { ...REAL, alertEmail: 'dyzur@example.com' }, 'alertEmail: dyzur@example.com'],
  ])('refuses to deploy with %s', (_case, context, finding) => {
    const template = Template.fromStack(synth(context).application).toJSON();
    expect(template.Rules[DEMO_RULE].Assertions[0].AssertDescription).toContain(finding);
  });

  it('adds nothing when every address is real', () => {
    const built = synth(REAL);
    for (const stack of [built.stateful, built.application]) {
      const template = Template.fromStack(stack).toJSON();
      expect(template.Rules?.[DEMO_RULE]).toBeUndefined();
      expect(template.Parameters?.[DEMO_PARAMETER]).toBeUndefined();
    }
  });

  it('lets demo configuration deploy when -c demo=true says it is a try-out, with a warning', () => {
    const built = synth({ demo: 'true' });
    expect(Template.fromStack(built.application).toJSON().Rules?.[DEMO_RULE]).toBeUndefined();
    Annotations.fromStack(built.application).hasWarning('*', Match.stringLikeRegexp('Demo deployment'));
  });

  it('refuses a demo value other than true or false', () => {
    expect(() => synth({ demo: 'yes' })).toThrow(/demo must be true or false/);
  });

  it.each([
    ['reklamacje@sklep.example', true],
    ['a@example.com', true],
    ['a@mail.example.org', true],
    ['a@shop.test', true],
    ['reklamacje@twoj-sklep.pl', false],
    ['a@example.company.pl', false],
    ['a@myexample.com', false],
  ])('counts %s as a demo address: %s', (address, demo) => {
    expect(isDemoAddress(address)).toBe(demo);
  });
});

describe('the configuration files', () => {
  const context = (values: Record<string, string>) => (name: string) => values[name];

  it('deploys the departments file that -c departments names, as written', () => {
    const config = readDeploymentConfig(context({ departments: REAL_DEPARTMENTS }));
    expect(JSON.parse(config.files.departments.content)).toEqual(JSON.parse(readFileSync(REAL_DEPARTMENTS, 'utf8')));
    expect(config.demoFindings()).toEqual([`company: the demo file config/company.json (give -c company=FILE)`]);
  });

  it('stops synth on a departments file the loader refuses, naming the file and the field', () => {
    const broken = file('broken-departments.json', { ...repositoryDepartments, fallback: 'nobody' });
    expect(() => synth({ ...REAL, departments: broken })).toThrow(/broken-departments\.json.*fallback/);
  });

  it('stops synth on a file that is not JSON, naming the context and the file', () => {
    const broken = file('not-json.json', '{ "staff": [');
    expect(() => synth({ ...REAL, staffDirectory: broken })).toThrow(/staffDirectory: .*not-json\.json is not valid JSON/);
  });

  it('stops synth on a missing file', () => {
    expect(() => synth({ ...REAL, customPolicies: path.join(folder, 'nowhere.json') })).toThrow(/customPolicies: cannot read .*nowhere\.json/);
  });

  it('refuses a staff directory carrying the local demo keys', () => {
    const demoDirectory = path.join(__dirname, '../../config/staff.local.json');
    expect(() => synth({ ...REAL, staffDirectory: demoDirectory })).toThrow(/local demo keys/);
  });

  it('gives the staff API nobody without -c staffDirectory, never the demo directory', () => {
    const config = readDeploymentConfig(context({}));
    expect(JSON.parse(config.files.staffDirectory.content)).toEqual({ staff: [] });
    expect(config.filesFor('staffReads')['staff.json']).toBe(JSON.stringify({ staff: [] }));
    expect(config.filesFor('intake')['staff.json']).toBeUndefined();
  });
});

describe('the region', () => {
  const saved = process.env.CDK_DEFAULT_REGION;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK_DEFAULT_REGION;
    else process.env.CDK_DEFAULT_REGION = saved;
  });

  it('is eu-central-1 when neither context nor the AWS profile names one', () => {
    delete process.env.CDK_DEFAULT_REGION;
    const built = synth(REAL);
    expect([built.stateful, built.application].map((stack) => Stack.of(stack).region)).toEqual(['eu-central-1', 'eu-central-1']);
  });

  it("follows the AWS profile's region (CDK_DEFAULT_REGION), and -c region over both, warning outside the EU", () => {
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';
    expect(synth(REAL).application.region).toBe('eu-west-1');
    const built = synth({ ...REAL, region: 'eu-north-1' });
    expect([built.stateful.region, built.application.region]).toEqual(['eu-north-1', 'eu-north-1']);
    process.env.CDK_DEFAULT_REGION = 'us-east-1';
    Annotations.fromStack(synth(REAL).application).hasWarning('*', Match.stringLikeRegexp('outside the EU'));
  });
});

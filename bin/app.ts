import { Annotations, App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { parsePolicyFile } from '../lambdas/core/policy-config';
import { loadStaffDirectory } from '../lambdas/http/staff-identity';
import { AppStack } from '../lib/app-stack';
import { StatefulStack } from '../lib/stateful-stack';

// Composes the stacks; nothing else. Context (`-c name=value` or cdk.json):
//   senderAddress  the From address of customer e-mail, verified in SES. Required for a real deploy; the
//                  placeholder below only lets `cdk synth` run offline (synth warns while it is in use).
//   senderDomain   optional: verify this whole domain (Easy DKIM) instead of the single address.
//   companyName    optional: the company named in e-mails.
//   alertEmail     optional: subscribed to the alarm topic.
//   defaultPolicy  optional: the deadline policy for complaints that name none.
//   customPolicies optional: a JSON file of the deployment's own policies (the shape of config/policies.json).
//   staffDirectory a JSON file mapping IAM principals to staff (the shape of config/staff.local.json, without
//                  the demo keys). Without it nobody may use the staff API; the demo file is never deployed.
// Account and region come from CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, which the CDK CLI fills from your AWS
// profile; without credentials the account stays open (the CLI falls back to a default region) and synth
// still works, so `cdk synth` needs no AWS account.

/** Reads and validates a JSON file named in context, for a function's environment (Lambda allows 4 KB in all). */
function jsonFile(file: string | undefined, validate: (json: unknown) => unknown): string | undefined {
  if (!file) return undefined;
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  validate(json);
  return JSON.stringify(json);
}

export const PLACEHOLDER_SENDER = 'reklamacje@example.com';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function buildApp(props: AppProps = {}) {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));

  const context = (name: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(name);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`Context ${name} must be a string`);
    return value.trim();
  };
  const email = (name: string): string | undefined => {
    const value = context(name);
    if (value !== undefined && !EMAIL.test(value)) throw new Error(`Context ${name} is not an e-mail address: ${value}`);
    return value;
  };

  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const senderAddress = email('senderAddress');

  const stateful = new StatefulStack(app, 'ReklamacjeData', {
    env,
    description: 'Reklamacje: the complaints table (stateful, deletion-protected)',
  });
  const application = new AppStack(app, 'ReklamacjeApp', {
    env,
    description: 'Reklamacje: API, functions, workflow and e-mail (stateless)',
    table: stateful.tableRef,
    senderAddress: senderAddress ?? PLACEHOLDER_SENDER,
    senderDomain: context('senderDomain'),
    companyName: context('companyName'),
    alertEmail: email('alertEmail'),
    defaultPolicy: context('defaultPolicy'),
    customPolicies: jsonFile(context('customPolicies'), (json) => parsePolicyFile(json, 'customPolicies')),
    staffDirectory: jsonFile(context('staffDirectory'), loadStaffDirectory) ?? JSON.stringify({ staff: [] }),
  });
  if (!context('staffDirectory')) {
    Annotations.of(application).addWarningV2(
      'reklamacje:noStaffDirectory',
      'No staffDirectory context: the staff API will refuse everyone. Deploy with -c staffDirectory=path/to/staff.json.',
    );
  }
  // The table reaches the app stack through named exports, which CDK does not track: order the deploys here.
  application.addStackDependency(stateful);
  if (!senderAddress) {
    Annotations.of(application).addWarningV2(
      'reklamacje:placeholderSender',
      `No senderAddress context: e-mails would come from ${PLACEHOLDER_SENDER}. Deploy with -c senderAddress=you@your-shop.example.`,
    );
  }

  return { app, stateful, application };
}

if (require.main === module) buildApp().app.synth();

import { Annotations, App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppStack } from '../lib/app-stack';
import { EdgeWafStack } from '../lib/edge-waf';
import { guardAgainstDemoDeploy } from '../lib/demo-guard';
import { isDemoAddress, readDeploymentConfig } from '../lib/deployment-config';
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
//   departments    a JSON file of departments, their addresses and routing rules (the shape of
//                  config/departments.json). Without it the demo departments (*.example) are used.
//   demo           `true` lets demo configuration (placeholder sender, *.example addresses) deploy: a try-out.
//                  Without it such a template carries a CloudFormation rule that fails `cdk deploy`.
//   webAclArn      optional: a CLOUDFRONT-scope WAF web ACL (us-east-1), e.g. the ReklamacjeEdgeWaf stack's output.
//   publicBaseUrl  optional: where customers reach the pages (your own domain); default the CloudFront address.
//   region         optional: the region to deploy to (default: CDK_DEFAULT_REGION, else eu-central-1).
// The configuration files are validated here and travel in the bundles of the functions that read them
// (lambdas/adapters/config-files.ts), not in environment variables. Account and region come from
// CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, which the CDK CLI fills from your AWS profile; without credentials
// the account stays open and synth still works, so `cdk synth` needs no AWS account.

export const PLACEHOLDER_SENDER = 'reklamacje@example.com';

/**
 * Complaints are personal data of EU customers: an EU region unless told otherwise. Note that the CDK CLI
 * fills CDK_DEFAULT_REGION with us-east-1 when the profile names no region, hence the warning below.
 */
export const DEFAULT_REGION = 'eu-central-1';

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

  const region = context('region') ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION;
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region };
  const senderAddress = email('senderAddress');
  const alertEmail = email('alertEmail');
  const config = readDeploymentConfig(context);
  const demo = context('demo');
  if (demo !== undefined && demo !== 'true' && demo !== 'false') throw new Error(`Context demo must be true or false, not ${demo}`);

  const stateful = new StatefulStack(app, 'ReklamacjeData', {
    env,
    description: 'Reklamacje: the complaints table and the attachments bucket (stateful, deletion-protected)',
    uploadOrigin: context('publicBaseUrl'),
  });
  const application = new AppStack(app, 'ReklamacjeApp', {
    env,
    description: 'Reklamacje: API, functions, workflow and e-mail (stateless)',
    table: stateful.tableRef,
    webhookSources: stateful.webhookSourcesRef,
    cursorKey: stateful.cursorKeyRef,
    attachments: stateful.attachments.ref,
    senderAddress: senderAddress ?? PLACEHOLDER_SENDER,
    senderDomain: context('senderDomain'),
    companyName: context('companyName'),
    alertEmail,
    defaultPolicy: context('defaultPolicy'),
    webAclArn: context('webAclArn'),
    publicBaseUrl: context('publicBaseUrl'),
    config,
  });
  if (!context('staffDirectory')) {
    Annotations.of(application).addWarningV2(
      'reklamacje:noStaffDirectory',
      'No staffDirectory context: the staff API will refuse everyone. Deploy with -c staffDirectory=path/to/staff.json.',
    );
  }
  // WAF for CloudFront must be in us-east-1: a stack of its own, whose WebAclArn output the app takes as context.
  new EdgeWafStack(app, 'ReklamacjeEdgeWaf', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'us-east-1' },
    description: 'Reklamacje: WAF rate-based rules for the CloudFront distribution (CLOUDFRONT scope, us-east-1)',
  });
  // The table reaches the app stack through named exports, which CDK does not track: order the deploys here.
  application.addStackDependency(stateful);
  if (!senderAddress) {
    Annotations.of(application).addWarningV2(
      'reklamacje:placeholderSender',
      `No senderAddress context: e-mails would come from ${PLACEHOLDER_SENDER}. Deploy with -c senderAddress=you@your-shop.example.`,
    );
  }

  if (!region.startsWith('eu-')) {
    Annotations.of(application).addWarningV2(
      'reklamacje:regionOutsideEu',
      `Region ${region} is outside the EU: complaints are personal data of EU customers. Deploy with -c region=${DEFAULT_REGION} (or another eu-* region) unless this is deliberate.`,
    );
  }

  // Addresses that reach nobody: a deployment with them loses every reminder, escalation and decision e-mail.
  const demoFindings = [
    ...(senderAddress
      ? isDemoAddress(senderAddress)
        ? [`senderAddress: ${senderAddress}`]
        : []
      : [`senderAddress (none given): ${PLACEHOLDER_SENDER}`]),
    ...(alertEmail && isDemoAddress(alertEmail) ? [`alertEmail: ${alertEmail}`] : []),
    ...config.demoFindings(),
  ];
  for (const stack of [stateful, application]) guardAgainstDemoDeploy(stack, demoFindings, demo === 'true');

  return { app, stateful, application };
}

if (require.main === module) buildApp().app.synth();

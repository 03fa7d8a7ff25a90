import { CfnOutput, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

// The webhook sources and their secrets (lambdas/core/webhook-sources.ts): one Secrets Manager secret whose
// value is the JSON of config/webhooks.local.json, read once per cold start by the webhook function alone.
// It lives in the stateful stack: replacing it would cut every connected shop off until each is set up again.

/** How the stateless stack finds the secret: a named export, as the table's (see ComplaintsTableRef). */
export interface WebhookSourcesRef {
  readonly secretArnExport: string;
}

export class WebhookSourcesSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly ref: WebhookSourcesRef;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // No sources until the operator puts them (README, "Webhooks in"); the generated value is a strong
    // secret to give a WooCommerce or Shoper webhook, whose secret the shop owner chooses.
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Reklamacje: webhook sources (scheme, settings) and their secrets, two at once during a rotation',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ sources: {} }),
        generateStringKey: 'generatedSecret',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secrets are shared with shop platforms (Shopify app secret, WooCommerce and Shoper webhook secrets), which ' +
        'Secrets Manager cannot rotate on their side. Rotation is manual and without downtime: each source takes two ' +
        'secrets at once (README, "Webhooks in").',
    });
    const stack = Stack.of(this);
    this.ref = { secretArnExport: `${stack.stackName}:WebhookSourcesSecretArn` };
    new CfnOutput(stack, 'WebhookSourcesSecretArn', {
      value: this.secret.secretArn,
      exportName: this.ref.secretArnExport,
      description: 'The webhook sources and their secrets (put the JSON of config/webhooks.local.json, with your own values)',
    });
  }
}

/** The secret as seen from another stack: by its complete ARN, so a grant names exactly this secret. */
export function importWebhookSources(scope: Construct, id: string, ref: WebhookSourcesRef): secretsmanager.ISecret {
  return secretsmanager.Secret.fromSecretCompleteArn(scope, id, Fn.importValue(ref.secretArnExport));
}

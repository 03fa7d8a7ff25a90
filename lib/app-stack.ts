import { CfnOutput, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { functions, type FunctionName, type FunctionSpec } from '../lambdas/functions';
import { Alerts } from './alerts';
import { Api } from './api';
import type { DeploymentConfig } from './deployment-config';
import { Email } from './email';
import { Functions } from './functions';
import { Operations } from './operations';
import { importComplaintsTable, importCursorKey, type ComplaintsTableRef, type CursorKeyRef } from './stateful-stack';
import { EventStream } from './event-stream';
import { importWebhookSources, type WebhookSourcesRef } from './webhook-sources-secret';
import { Web } from './web';
import { importAttachmentsBucket, uploadOriginOf, type AttachmentsBucketRef } from './attachments-bucket';
import { Workflow } from './workflow';
import { WebhookDeliveries } from './webhook-deliveries';

export interface AppStackProps extends StackProps {
  /** The complaints table, from the stateful stack. */
  readonly table: ComplaintsTableRef;
  /** The secret with the webhook sources and their secrets, from the stateful stack. */
  readonly webhookSources: WebhookSourcesRef;
  /** The secret the staff API signs its cursors with, from the stateful stack. */
  readonly cursorKey: CursorKeyRef;
  /** The customers' attachments, from the stateful stack. */
  readonly attachments: AttachmentsBucketRef;
  readonly senderAddress: string;
  /** A CLOUDFRONT-scope WAF web ACL (us-east-1) for the pages and public routes: see lib/edge-waf.ts. */
  readonly webAclArn?: string;
  /** Where customers reach the pages when not at the CloudFront address (the shop's own domain). */
  readonly publicBaseUrl?: string;
  readonly senderDomain?: string;
  readonly companyName?: string;
  readonly alertEmail?: string;
  /** The deadline policy applied when a complaint names none (see config/). */
  readonly defaultPolicy?: string;
  /**
   * The validated configuration files (departments, custom policies, staff directory): they travel in the
   * bundles of the functions that read them, not in environment variables (4 KB in all).
   */
  readonly config: DeploymentConfig;
}

/** The stateless part: e-mail, functions, workflow, stream consumer and HTTP API. Safe to redeploy at will. */
export class AppStack extends Stack {
  readonly api: Api;
  readonly web: Web;
  readonly workflow: Workflow;
  readonly functions: Functions;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);

    const table = importComplaintsTable(this, 'Complaints', props.table);
    const attachments = importAttachmentsBucket(this, 'Attachments', props.attachments);

    const alerts = new Alerts(this, 'Alerts', { alertEmail: props.alertEmail });
    const email = new Email(this, 'Email', { senderAddress: props.senderAddress, senderDomain: props.senderDomain });

    this.functions = new Functions(this, 'Functions', {
      table,
      email,
      webhookSources: importWebhookSources(this, 'WebhookSources', props.webhookSources),
      cursorKey: importCursorKey(this, 'CursorKey', props.cursorKey),
      attachments,
      environment: {
        TABLE_NAME: table.tableName,
        // Every function: the pages a function renders name the bucket in their CSP (page-security.ts).
        ATTACHMENTS_BUCKET: attachments.bucketName,
        SENDER_ADDRESS: props.senderAddress,
        SES_CONFIGURATION_SET: email.configurationSet.configurationSetName,
        ...(props.companyName ? { COMPANY_NAME: props.companyName } : {}),
        ...(props.defaultPolicy ? { DEFAULT_POLICY: props.defaultPolicy } : {}),
      },
      config: props.config,
    });
    const deliveryDeadLetters = email.recordDeliveriesWith(this.functions.byName.recordDelivery.function);

    this.workflow = new Workflow(this, 'Workflow', { table: table, steps: this.functions.workflowSteps, alerts });
    this.functions.connectWorkflow(this.workflow);

    const webhookDeliveries = new WebhookDeliveries(this, 'WebhookDeliveries', { steps: this.functions.deliverySteps, alerts });
    this.functions.connectWebhookDeliveries(webhookDeliveries.stateMachine);

    const eventStream = new EventStream(this, 'EventStream', { table, functions: this.functions.byName, alerts });

    this.api = new Api(this, 'Api', { functions: this.functions.lambdas });
    // What CloudFront adds to each request it sends the API, so that the public functions believe the viewer's
    // address it forwards (their per-client limits) only from CloudFront: execute-api answers directly too.
    // Letters and digits, 48 of them (~285 bits). Both CloudFront's origin configuration and the two
    // functions' environment hold it (a CloudFormation dynamic reference, resolved at deploy): readable by
    // whoever may read those configurations, which already means the operators.
    const originSecret = new secretsmanager.Secret(this, 'OriginVerify', {
      description: 'Reklamacje: the header value CloudFront sends the API, proving a request came through it',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating means redeploying CloudFront and the functions with the new value together (replace the secret and deploy); ' +
        'a leaked value only lets a caller pick the address the per-client limits count, not read or change anything.',
    });
    const originSecretValue = originSecret.secretValue.unsafeUnwrap();
    for (const name of ['intake', 'customerStatus'] as const) this.functions.byName[name].addEnvironment('ORIGIN_VERIFY', originSecretValue);
    // The customer's pages and the public API behind one CloudFront origin; the customer's e-mails link to it.
    this.web = new Web(this, 'Web', {
      httpApi: this.api.httpApi,
      webAclArn: props.webAclArn,
      originSecret: originSecretValue,
      uploadOrigin: uploadOriginOf(attachments),
    });
    // The workflow's e-mails link the status page, and so does a staff member's question, which is answered there.
    for (const name of ['advanceComplaint', 'staffChanges'] as const) {
      this.functions.byName[name].addEnvironment('PUBLIC_BASE_URL', props.publicBaseUrl ?? this.web.url);
    }

    new Operations(this, 'Operations', {
      alerts,
      functions: this.functions.byName,
      reservedConcurrency: Object.fromEntries(
        (Object.entries(functions) as [FunctionName, FunctionSpec][]).flatMap(([name, spec]) =>
          spec.reservedConcurrency === undefined ? [] : [[name, spec.reservedConcurrency]],
        ),
      ),
      eventPipeFailures: eventStream.metricPipeFailures(),
      table,
      stateMachine: this.workflow.stateMachine,
      api: this.api,
      deliveryDeadLetters,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'WebUrl', { value: this.web.url, description: "The customer's pages (the complaint form) and the public API" });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn, description: 'The complaint workflow' });
  }
}

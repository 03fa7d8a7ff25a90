import { CfnOutput, Fn, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { nonKeyAttributes, tableDesign, type IndexDesign } from '../lambdas/adapters/table-design';
import { WebhookSourcesSecret, type WebhookSourcesRef } from './webhook-sources-secret';
import { AttachmentsBucket, type AttachmentsBucketProps } from './attachments-bucket';

// Stateful and stateless apart (STYLE.md §8): the complaints live here, in a stack that is deployed rarely,
// is protected from deletion and outlives any redeployment of the functions, API and workflow.

/**
 * How the stateless stack finds the table: CloudFormation exports with fixed names. Fixed rather than
 * CDK-generated names keep the contract between the stacks readable and stable (a generated export name
 * changes with construct paths, and an export in use cannot change), and make policy findings predictable.
 */
export interface ComplaintsTableRef {
  readonly tableArnExport: string;
  readonly tableStreamArnExport: string;
}

/** How the stateless stack finds the cursor key: a named export, as the table's (see ComplaintsTableRef). */
export interface CursorKeyRef {
  readonly secretArnExport: string;
}

export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly tableRef: ComplaintsTableRef;
  readonly webhookSources: WebhookSourcesSecret;
  readonly webhookSourcesRef: WebhookSourcesRef;
  readonly cursorKey: secretsmanager.Secret;
  readonly cursorKeyRef: CursorKeyRef;
  readonly attachments: AttachmentsBucket;

  constructor(scope: Construct, id: string, props?: StackProps & AttachmentsBucketProps) {
    super(scope, id, props);

    const string = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Complaints', {
      partitionKey: string(tableDesign.partitionKey),
      sortKey: string(tableDesign.sortKey),
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Old and new images: the workflow starter reads the new one; the old one lets a later consumer
      // (audit trail, notifications) see what changed.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    });
    // Lean indexes: keys plus what a list shows (table-design.ts has the figures). A table deployed with other
    // indexes cannot take these in one update: CloudFormation creates or deletes one index per deployment (see
    // README, "Changing the indexes of a deployed table").
    for (const [indexName, index] of Object.entries(tableDesign.indexes) as [string, IndexDesign][]) {
      const nonKey = nonKeyAttributes(index);
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
        ...(nonKey.length > 0
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: nonKey }
          : { projectionType: dynamodb.ProjectionType.KEYS_ONLY }),
      });
    }

    this.tableRef = {
      tableArnExport: `${this.stackName}:ComplaintsTableArn`,
      tableStreamArnExport: `${this.stackName}:ComplaintsTableStreamArn`,
    };
    // The key the staff API seals its list and history cursors with (lambdas/core/cursor-seal.ts), generated
    // by Secrets Manager and never seen by anyone: 64 characters of letters and digits, ~380 bits, far above
    // HMAC-SHA256's 256. Losing or replacing it only makes the cursors handed out before refused (400), and a
    // client starts again from the first page; so it goes with the stack rather than outliving it.
    this.cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'Reklamacje: the key the staff API signs its pagination cursors with (HMAC-SHA256)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key only signs pagination cursors, which a client uses for minutes; Secrets Manager has no hosted ' +
        'rotation for a plain key, and rotating it would only refuse the cursors in use. Replace the secret to rotate.',
    });
    this.cursorKeyRef = { secretArnExport: `${this.stackName}:CursorKeyArn` };

    this.webhookSources = new WebhookSourcesSecret(this, 'WebhookSources');
    this.attachments = new AttachmentsBucket(this, 'Attachments', { uploadOrigin: props?.uploadOrigin });
    this.webhookSourcesRef = this.webhookSources.ref;

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The complaints table' });
    new CfnOutput(this, 'TableArn', { value: this.table.tableArn, exportName: this.tableRef.tableArnExport });
    new CfnOutput(this, 'TableStreamArn', {
      value: this.table.tableStreamArn!,
      exportName: this.tableRef.tableStreamArnExport,
    });
    new CfnOutput(this, 'CursorKeyArn', { value: this.cursorKey.secretArn, exportName: this.cursorKeyRef.secretArnExport });
  }
}

/** The complaints table as seen from another stack, with its indexes (so grants cover them) and stream. */
export function importComplaintsTable(scope: Construct, id: string, ref: ComplaintsTableRef): dynamodb.ITable {
  return dynamodb.Table.fromTableAttributes(scope, id, {
    tableArn: Fn.importValue(ref.tableArnExport),
    tableStreamArn: Fn.importValue(ref.tableStreamArnExport),
    globalIndexes: Object.keys(tableDesign.indexes),
  });
}

/** The cursor key as seen from another stack: by its complete ARN, so a grant names exactly this secret. */
export function importCursorKey(scope: Construct, id: string, ref: CursorKeyRef): secretsmanager.ISecret {
  return secretsmanager.Secret.fromSecretCompleteArn(scope, id, Fn.importValue(ref.secretArnExport));
}

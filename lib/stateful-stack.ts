import { CfnOutput, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { nonKeyAttributes, tableDesign, type IndexDesign } from '../lambdas/adapters/table-design';

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

export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly tableRef: ComplaintsTableRef;

  constructor(scope: Construct, id: string, props?: StackProps) {
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
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The complaints table' });
    new CfnOutput(this, 'TableArn', { value: this.table.tableArn, exportName: this.tableRef.tableArnExport });
    new CfnOutput(this, 'TableStreamArn', {
      value: this.table.tableStreamArn!,
      exportName: this.tableRef.tableStreamArnExport,
    });
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

import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PENDING } from '../lambdas/adapters/table-design';
import type { Alerts } from './alerts';
import type { HouseFunction } from './house-function';

export interface StreamStarterProps {
  /** The table, with its stream. */
  readonly table: dynamodb.ITable;
  /** The catalog's `workflowStarter`. */
  readonly starter: HouseFunction;
  readonly alerts: Alerts;
}

/**
 * Feeds the table's stream to the workflow starter: every complaint written with `pendingWorkflow = pending`
 * gets its workflow (started under the complaint's id, so a repeat is harmless). A record that keeps failing
 * leaves the stream for the on-failure queue; the complaint keeps its mark, so the `pendingWorkflow` index
 * still shows it for a redrive.
 */
export class StreamStarter extends Construct {
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: StreamStarterProps) {
    super(scope, id);

    // Holds the metadata of records the starter gave up on (shard, sequence numbers), for a redrive.
    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    props.starter.function.addEventSource(
      new sources.DynamoEventSource(props.table, {
        // From the oldest record still in the stream: a starter deployed after the table misses nothing.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        // A failing record is reported alone (ReportBatchItemFailures) and, failing that, isolated by halving
        // the batch, so one bad complaint does not hold up the others on its shard.
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        // Five retries span StartExecution throttling and short outages; after that a human looks.
        retryAttempts: 5,
        // Well inside the stream's 24-hour retention: a record is handed to the queue before DynamoDB trims it.
        maxRecordAge: Duration.hours(6),
        onFailure: new sources.SqsDlq(this.failures),
        // Only complaints waiting for their workflow invoke the starter (the filter is free; an invocation is not).
        filters: [
          lambda.FilterCriteria.filter({ dynamodb: { NewImage: { pendingWorkflow: { S: lambda.FilterRule.isEqual(PENDING) } } } }),
        ],
      }),
    );

    props.alerts.alarmOnAny(
      this,
      'RecordsStranded',
      'The workflow starter gave up on stream records: complaints are waiting without a workflow.',
      this.failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    );

    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination (on-failure destination) of the stream consumer.',
    });
  }
}

import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { COMPLAINT_EVENT_SOURCE, eventConsumers, type EventConsumer } from '../lambdas/event-consumers';
import type { FunctionName } from '../lambdas/functions';
import type { Alerts } from './alerts';
import type { HouseFunction } from './house-function';

export interface EventStreamProps {
  /** The table, with its stream. */
  readonly table: dynamodb.ITable;
  readonly functions: Record<FunctionName, HouseFunction>;
  readonly alerts: Alerts;
}

/** How long a consumer's event is retried before it is parked: EventBridge's longest. */
const CONSUMER_RETRY_HOURS = 24;

/**
 * One event stream, many consumers. The table's stream carries every new event item (EVENT#…, written in the
 * same transaction as its change) through an EventBridge pipe onto the complaint event bus; each consumer of
 * lambdas/event-consumers.ts is a rule of its own on that bus, so one that fails is retried (and finally
 * parked in its own dead-letter queue) without holding up the others. A stream has at most two readers per
 * shard; the bus has as many rules as we like.
 */
export class EventStream extends Construct {
  readonly bus: events.EventBus;
  readonly pipe: pipes.CfnPipe;

  constructor(scope: Construct, id: string, props: EventStreamProps) {
    super(scope, id);

    this.bus = new events.EventBus(this, 'Bus', { description: 'Complaint events (complaint.received, assigned, decided, ...)' });

    const queue = (queueId: string) => {
      const dlq = new sqs.Queue(this, queueId, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself a dead-letter queue (of the pipe or of a consumer rule).',
      });
      return dlq;
    };

    // Stream records the pipe could not put on the bus after its retries (bus throttling, an outage).
    const pipeFailures = queue('PipeFailures');
    const role = new iam.Role(this, 'PipeRole', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
    props.table.grantStreamRead(role);
    this.bus.grantPutEventsTo(role);
    pipeFailures.grantSendMessages(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams has no resource-level permission; grantStreamRead adds it on * and nothing else.',
    });

    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      description: 'New complaint event items from the table stream onto the complaint event bus',
      roleArn: role.roleArn,
      source: props.table.tableStreamArn!,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          // A record that keeps failing is split off (bisect) and, after ten tries or six hours (well inside the
          // stream's 24-hour retention), parked with its position for a redrive.
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          maximumRetryAttempts: 10,
          maximumRecordAgeInSeconds: 6 * 3600,
          deadLetterConfig: { arn: pipeFailures.queueArn },
        },
        // Only new event items: complaint updates and other items are not events (the filter is free).
        filterCriteria: {
          filters: [{ pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { SK: { S: [{ prefix: 'EVENT#' }] } } } }) }],
        },
      },
      target: this.bus.eventBusArn,
      targetParameters: {
        eventBridgeEventBusParameters: { source: COMPLAINT_EVENT_SOURCE, detailType: '$.dynamodb.NewImage.type.S' },
        // The same detail the local outbox delivers (ComplaintEventDetail): ids and times, no personal data.
        inputTemplate:
          '{"complaintId": "<$.dynamodb.NewImage.complaintId.S>", "type": "<$.dynamodb.NewImage.type.S>", ' +
          '"sequence": <$.dynamodb.NewImage.sequence.N>, "at": "<$.dynamodb.NewImage.at.S>"}',
      },
    });

    props.alerts.alarmOnAny(
      this,
      'RecordsStranded',
      'The event pipe gave up on table stream records: some complaint events reached no consumer (a new complaint ' +
        'may have no workflow). Fix the cause, then redrive the PipeFailures queue.',
      pipeFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    );

    for (const [name, consumer] of Object.entries(eventConsumers) as [string, EventConsumer][]) {
      const deadLetters = queue(`${name}DeadLetters`);
      new events.Rule(this, `${name}Rule`, {
        eventBus: this.bus,
        description: consumer.description,
        eventPattern: { source: [COMPLAINT_EVENT_SOURCE], detailType: [...consumer.events] },
        targets: [
          new targets.LambdaFunction(props.functions[consumer.function].function, {
            deadLetterQueue: deadLetters,
            retryAttempts: 185,
            maxEventAge: Duration.hours(CONSUMER_RETRY_HOURS),
          }),
        ],
      });
      props.alerts.alarmOnAny(
        this,
        `${name}EventsUndelivered`,
        `Consumer ${name} gave up on complaint events after ${CONSUMER_RETRY_HOURS} hours of retries: fix it, then ` +
          `redrive its dead-letter queue (${name}DeadLetters); consumers are idempotent.`,
        deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      );
    }
  }

  /** The pipe's failed executions, for the operations alarms. */
  metricPipeFailures(): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/EventBridge/Pipes',
      metricName: 'ExecutionFailed',
      dimensionsMap: { PipeName: this.pipe.ref },
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.SUM,
      region: Stack.of(this).region,
    });
  }
}

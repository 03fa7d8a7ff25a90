import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '../lambdas/functions';
import type { Alerts } from './alerts';
import type { Api } from './api';
import type { HouseFunction } from './house-function';

// The alarms an on-call person acts on, in one place; each says in its description what it means and what to
// do (README, "Running it in AWS", lists the same). Two more live beside what they watch: a failed workflow
// (workflow.ts) and events given up on (event-stream.ts).

export interface OperationsProps {
  readonly alerts: Alerts;
  readonly functions: Record<FunctionName, HouseFunction>;
  /** The catalog's reserved concurrency per function: a capped function is throttled on purpose in a herd. */
  readonly reservedConcurrency: Partial<Record<FunctionName, number>>;
  /** Failed executions of the pipe from the table stream to the event bus (lib/event-stream.ts). */
  readonly eventPipeFailures: cloudwatch.IMetric;
  readonly table: dynamodb.ITable;
  readonly stateMachine: sfn.IStateMachine;
  readonly api: Api;
  readonly deliveryDeadLetters: sqs.IQueue;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Thresholds, with why. */
export const THRESHOLDS = {
  /** A few errors in 5 minutes are transient (SDK and ASL retries absorb them); five are a pattern. */
  lambdaErrors: 5,
  /** A capped workflow step is throttled on purpose in a herd; throttled for 15 minutes running, the cap is too low. */
  cappedThrottlePeriods: 3,
  /** The pipe retries a failed batch; failing for 15 minutes running, events are not reaching the bus. */
  pipeFailurePeriods: 3,
  /** The SDK retries a throttled request; ten in 5 minutes means traffic above what the table gives on demand. */
  tableThrottles: 10,
  /** SES reviews an account at a 5% bounce rate and may pause its sending at 10%: act at 4%. */
  bounceRate: 0.04,
  /** A 5xx is a customer or a member of staff who got an error; five in 5 minutes is not a blip. */
  api5xx: 5,
} as const;

export class Operations extends Construct {
  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { alerts } = props;
    const sum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };

    for (const [name, fn] of Object.entries(props.functions) as [FunctionName, HouseFunction][]) {
      alerts.alarmWhen(
        this,
        `${name}Errors`,
        `Lambda ${name} failed ${THRESHOLDS.lambdaErrors}+ times in 5 minutes. Its log group (JSON lines: step, ` +
          'complaint id, error name) says why; a workflow step that keeps failing also fails executions (ExecutionsFailed).',
        fn.function.metricErrors(sum),
        THRESHOLDS.lambdaErrors,
      );
      const capped = props.reservedConcurrency[name] !== undefined;
      alerts.alarmWhen(
        this,
        `${name}Throttles`,
        capped
          ? `Workflow step ${name} was throttled for 15 minutes running at its reserved concurrency ` +
              `(${props.reservedConcurrency[name]}). Steps retry, so nothing is lost, but timers fire late: if the ` +
              'backlog does not clear, raise reservedConcurrency in lambdas/functions.ts (and the SES rate to match).'
          : `Lambda ${name} was throttled: requests failed for want of concurrency. Check the account's ` +
              'concurrency (ConcurrentExecutions, other functions) and raise the Lambda concurrency quota.',
        fn.function.metricThrottles(sum),
        1,
        capped ? THRESHOLDS.cappedThrottlePeriods : 1,
      );
    }

    alerts.alarmWhen(
      this,
      'EventPipeFailing',
      'The pipe from the table stream to the complaint event bus has failed for 15 minutes running: new events ' +
        "(and so new complaints' workflows) wait. Check the pipe in the EventBridge console and the bus; records " +
        'older than 6 hours go to the PipeFailures queue (alarm RecordsStranded).',
      props.eventPipeFailures,
      1,
      THRESHOLDS.pipeFailurePeriods,
    );

    const tableMetric = (metricName: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: props.table.tableName }, ...sum });
    alerts.alarmWhen(
      this,
      'TableThrottles',
      'DynamoDB throttled reads or writes on the complaints table 10+ times in 5 minutes: traffic above twice ' +
        'the previous peak (on-demand) or a hot partition. Requests are retried; if it persists, pre-warm the table ' +
        '(warm throughput) or look for one complaint written in a loop.',
      new cloudwatch.MathExpression({
        expression: 'reads + writes',
        usingMetrics: { reads: tableMetric('ReadThrottleEvents'), writes: tableMetric('WriteThrottleEvents') },
        period: FIVE_MINUTES,
        label: 'Throttled requests',
      }),
      THRESHOLDS.tableThrottles,
    );

    alerts.alarmWhen(
      this,
      'SesBounceRate',
      "The account's SES bounce rate is 4% or more: SES reviews accounts at 5% and may pause sending at 10%, " +
        'which would stop every acknowledgement and answer. Look at recent bounces on complaints (delivery evidence) ' +
        'for a bad address source or a broken form.',
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.BounceRate',
        period: Duration.hours(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      THRESHOLDS.bounceRate,
    );

    alerts.alarmOnAny(
      this,
      'ExecutionsTimedOut',
      'A complaint workflow timed out: the complaint is no longer driven. See its history, fix, then redrive or start it again.',
      props.stateMachine.metricTimedOut(sum),
    );
    alerts.alarmWhen(
      this,
      'ExecutionsThrottled',
      'Step Functions throttled state transitions of the complaint workflow for 15 minutes running: the ' +
        'account is at its transition quota (500/s refill in eu-central-1), so timers and answers run late. ' +
        'Request a higher StateTransition quota.',
      props.stateMachine.metric('ExecutionThrottled', sum),
      1,
      3,
    );

    alerts.alarmWhen(
      this,
      'Api5xx',
      'The HTTP API answered 5xx 5+ times in 5 minutes: customers could not file complaints or staff could not ' +
        "work. The access log (integrationError) and the failing function's errors say why.",
      props.api.httpApi.metricServerError(sum),
      THRESHOLDS.api5xx,
    );

    alerts.alarmOnAny(
      this,
      'DeliveryEventsDeadLettered',
      'SES delivery events could not be recorded on complaints and wait in the dead-letter queue: delivery ' +
        'evidence is missing until they are redriven (recordDelivery is idempotent).',
      props.deliveryDeadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM }),
    );
  }
}

import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { Alerts } from './alerts';
import { acknowledgeWildcardResource } from './nag';

// What the product's state machines (lib/workflow.ts, lib/webhook-deliveries.ts) share around their definition:
// the Lambdas they may invoke, an alarm on any failed execution, and cdk-nag's acknowledgement of the two
// services that have no resource-level permissions.

/** Lets the state machine invoke its step functions, each one alone (with its versions and aliases). */
export function grantStepInvokes(stateMachine: sfn.StateMachine, steps: Partial<Record<string, lambda.IFunction>>): void {
  for (const step of Object.values(steps)) {
    if (!step) continue;
    step.grantInvoke(stateMachine);
    acknowledgeWildcardResource(
      stateMachine,
      `${step.functionArn}:*`,
      'grantInvoke also covers the versions and aliases of this one function (`<arn>:*`); no other function.',
    );
  }
}

/**
 * An alarm on any failed execution in 5 minutes (a failed execution is work that needs a person: `description`
 * says what to do), and the acknowledgement of the wildcard that X-Ray tracing and vended log delivery need.
 */
export function watchFailedExecutions(scope: Construct, alarmId: string, stateMachine: sfn.StateMachine, alerts: Alerts, description: string): void {
  alerts.alarmOnAny(scope, alarmId, description, stateMachine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }));
  Validations.of(stateMachine).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Two services without resource-level permissions: X-Ray tracing (xray:PutTraceSegments, ' +
      'xray:PutTelemetryRecords, xray:GetSampling*) and CloudWatch Logs vended log delivery ' +
      '(logs:CreateLogDelivery, logs:*LogDelivery, logs:DescribeResourcePolicies, logs:DescribeLogGroups…).',
  });
}

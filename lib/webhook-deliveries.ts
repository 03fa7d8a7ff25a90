import * as fs from 'node:fs';
import * as path from 'node:path';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deliverySteps, type FunctionName } from '../lambdas/functions';
import type { Alerts } from './alerts';
import { repositoryRoot } from './bundling';
import { grantStepInvokes, watchFailedExecutions } from './state-machine-watch';

export const webhookDeliveryFile = path.join(repositoryRoot, 'statemachines', 'webhook-delivery.asl.json');

export interface WebhookDeliveriesProps {
  /** The functions named in `deliverySteps`, by catalog name. */
  readonly steps: Partial<Record<FunctionName, lambda.IFunction>>;
  readonly alerts: Alerts;
}

/**
 * Outbound webhook deliveries: one Standard execution of statemachines/webhook-delivery.asl.json (the file the
 * tests run) per delivery, which attempts, waits on the retry schedule and attempts again, for a day at most.
 * Why Step Functions rather than SQS or EventBridge Scheduler, with the quotas and the cost per delivery: README,
 * "Webhooks out".
 */
export class WebhookDeliveries extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WebhookDeliveriesProps) {
    super(scope, id);

    const substitutions: Record<string, string> = {};
    for (const [name, variable] of Object.entries(deliverySteps) as [FunctionName, string][]) {
      const step = props.steps[name];
      if (!step) throw new Error(`Webhook delivery step ${name} (\${${variable}}) has no function`);
      substitutions[variable] = step.functionArn;
    }
    const wanted = [...fs.readFileSync(webhookDeliveryFile, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
    const missing = wanted.filter((variable) => !(variable in substitutions));
    if (missing.length > 0) throw new Error(`${path.basename(webhookDeliveryFile)} uses \${${missing.join('}, ${')}} but nothing substitutes it`);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${Stack.of(this).stackName}-WebhookDelivery`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(webhookDeliveryFile),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      // Every event (cdk-nag SF1; ≈ 10 small events per delivered webhook, ≈ 2 GB ≈ $1 of log ingestion per
      // million), without data: the inputs name complaints, and an answer could quote a subscriber's error.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    grantStepInvokes(this.stateMachine, props.steps);

    // A failed execution is a delivery whose step kept failing for ~15 minutes (a bug, or DynamoDB down): it is
    // neither delivered nor parked, and needs a person.
    watchFailedExecutions(
      this,
      'DeliveriesFailed',
      this.stateMachine,
      props.alerts,
      'A webhook delivery execution failed (its step kept failing): see the execution, fix, then redrive it.',
    );
  }
}

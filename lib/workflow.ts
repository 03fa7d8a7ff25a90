import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { workflowSteps, type FunctionName } from '../lambdas/functions';
import type { Alerts } from './alerts';
import { repositoryRoot } from './bundling';
import { acknowledgeTableIndexes, acknowledgeWildcardResource } from './nag';

export const complaintWorkflowFile = path.join(repositoryRoot, 'statemachines', 'complaint-workflow.asl.json');

export interface WorkflowProps {
  readonly table: dynamodb.ITable;
  /** The functions named in `workflowSteps`, by catalog name. */
  readonly steps: Partial<Record<FunctionName, lambda.IFunction>>;
  readonly alerts: Alerts;
}

/**
 * The complaint workflow: the very ASL file the tests execute (STYLE.md §9), with the table name and the step
 * functions' ARNs substituted. A failed execution raises an alarm.
 */
export class Workflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /**
   * The same state machine, addressed by its fixed name instead of by reference. A step function that must
   * answer or start the workflow gets its permission through this: the state machine's definition refers to
   * the step's ARN, so a policy referring back to the state machine would be a circular dependency.
   */
  readonly stateMachineByName: sfn.IStateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);

    const substitutions: Record<string, string> = { TableName: props.table.tableName };
    for (const [name, variable] of Object.entries(workflowSteps) as [FunctionName, string][]) {
      const step = props.steps[name];
      if (!step) throw new Error(`Workflow step ${name} (\${${variable}}) has no function`);
      substitutions[variable] = step.functionArn;
    }
    const wanted = new Set([...fs.readFileSync(complaintWorkflowFile, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!));
    const missing = [...wanted].filter((variable) => !(variable in substitutions));
    if (missing.length > 0) {
      throw new Error(`${path.basename(complaintWorkflowFile)} uses \${${missing.join('}, ${')}} but nothing substitutes it`);
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // A fixed name (unique per stack) so that stateMachineByName can be derived. The price: a change that
    // replaces the state machine (say, STANDARD to EXPRESS) needs a new name.
    const stateMachineName = `${Stack.of(this).stackName}-ComplaintWorkflow`;
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(complaintWorkflowFile),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      // Every event, but no execution data: inputs and outputs carry complaint ids and, in later steps,
      // could carry personal data, which stays out of the logs (STYLE.md §6).
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    this.stateMachineByName = sfn.StateMachine.fromStateMachineName(this, 'ByName', stateMachineName);

    for (const step of Object.values(props.steps)) {
      if (!step) continue;
      step.grantInvoke(this.stateMachine);
      acknowledgeWildcardResource(
        this.stateMachine,
        `${step.functionArn}:*`,
        'grantInvoke also covers the versions and aliases of this one function (`<arn>:*`); no other function.',
      );
    }
    // The ASL's only direct DynamoDB task is dynamodb:updateItem (recording workflowAttention); nothing else.
    props.table.grant(this.stateMachine, 'dynamodb:UpdateItem');
    acknowledgeTableIndexes(this.stateMachine, props.table.tableArn);

    // One failed execution is one complaint stuck with `workflowAttention`: worth a page, not a trend.
    props.alerts.alarmOnAny(
      this,
      'ExecutionsFailed',
      'A complaint workflow failed: see workflowAttention on the complaint, fix, then redrive.',
      this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    );

    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Two services without resource-level permissions: X-Ray tracing (xray:PutTraceSegments, ' +
        'xray:PutTelemetryRecords, xray:GetSampling*) and CloudWatch Logs vended log delivery ' +
        '(logs:CreateLogDelivery, logs:*LogDelivery, logs:DescribeResourcePolicies, logs:DescribeLogGroups…).',
    });
  }
}

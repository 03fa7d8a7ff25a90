import * as fs from 'node:fs';
import * as path from 'node:path';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { workflowSteps, type FunctionName } from '../lambdas/functions';
import type { Alerts } from './alerts';
import { repositoryRoot } from './bundling';
import { acknowledgeTableIndexes } from './nag';
import { grantStepInvokes, watchFailedExecutions } from './state-machine-watch';

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

    grantStepInvokes(this.stateMachine, props.steps);
    // The ASL's only direct DynamoDB task is dynamodb:updateItem (recording workflowAttention); nothing else.
    props.table.grant(this.stateMachine, 'dynamodb:UpdateItem');
    acknowledgeTableIndexes(this.stateMachine, props.table.tableArn);

    // One failed execution is one complaint stuck with `workflowAttention`: worth a page, not a trend.
    watchFailedExecutions(
      this,
      'ExecutionsFailed',
      this.stateMachine,
      props.alerts,
      'A complaint workflow failed: see workflowAttention on the complaint, fix, then redrive.',
    );
  }
}

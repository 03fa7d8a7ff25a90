import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { grantAttachments } from './attachments-bucket';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deliverySteps, functions, workflowSteps, type FunctionName, type FunctionSpec, type Grant, type TableAction } from '../lambdas/functions';
import type { DeploymentConfig } from './deployment-config';
import type { Email } from './email';
import { HouseFunction } from './house-function';
import { acknowledgeTableIndexes } from './nag';

export interface FunctionsProps {
  readonly table: dynamodb.ITable;
  readonly email: Email;
  /** The webhook sources and their secrets; read by the functions with `webhookSources:read` only. */
  readonly webhookSources: secretsmanager.ISecret;
  /** The key the staff API signs its cursors with; read by the functions with `cursorKey:read` only. */
  readonly cursorKey: secretsmanager.ISecret;
  /** The customers' attachments; each `attachments:*` grant gives its one use, on its prefix only. */
  readonly attachments: s3.IBucket;
  /** Given to every function (TABLE_NAME, SENDER_ADDRESS, …); STATE_MACHINE_ARN is added by `connectWorkflow`. */
  readonly environment: Record<string, string>;
  /** The validated configuration files; each function's bundle carries those it reads. */
  readonly config: DeploymentConfig;
}

/** One house Lambda per entry of the catalog (`lambdas/functions.ts`), with the grants the catalog names. */
export class Functions extends Construct {
  readonly byName: Record<FunctionName, HouseFunction>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const entries = Object.entries(functions) as [FunctionName, (typeof functions)[FunctionName]][];
    this.byName = Object.fromEntries(
      entries.map(([name, spec]) => {
        const fn = new HouseFunction(this, pascal(name), {
          entry: spec.entry,
          description: spec.description,
          timeout: spec.timeout,
          memory: spec.memory,
          environment: props.environment,
          configFiles: props.config.filesFor(name),
          reservedConcurrency: (spec as FunctionSpec).reservedConcurrency,
        });
        // Exactly the DynamoDB actions the catalog names (not grantReadData/grantWriteData, which would add
        // Scan, BatchWriteItem and DeleteItem that nothing here uses).
        const tableActions = spec.table as readonly TableAction[];
        if (tableActions.length > 0) {
          props.table.grant(fn.function, ...tableActions);
          acknowledgeTableIndexes(fn.role, props.table.tableArn);
        }
        for (const grant of spec.grants as readonly Grant[]) {
          switch (grant) {
            case 'email:send':
              props.email.grantSend(fn.function);
              break;
            case 'webhookSources:read':
              props.webhookSources.grantRead(fn.function);
              fn.addEnvironment('WEBHOOK_SOURCES_SECRET_ARN', props.webhookSources.secretArn);
              break;
            case 'cursorKey:read':
              props.cursorKey.grantRead(fn.function);
              fn.addEnvironment('CURSOR_KEY_SECRET_ARN', props.cursorKey.secretArn);
              break;
            case 'attachments:upload':
              grantAttachments(props.attachments, fn.function, 'upload');
              break;
            case 'attachments:check':
              grantAttachments(props.attachments, fn.function, 'check');
              break;
            case 'attachments:read':
              grantAttachments(props.attachments, fn.function, 'read');
              break;
            case 'webhookDeliveries:start': // needs the delivery state machine: connectWebhookDeliveries
            case 'workflow:start':
            case 'workflow:callback':
              break; // needs the state machine: connectWorkflow
            default:
              throw new Error(`Unknown grant ${String(grant satisfies never)} for function ${name}`);
          }
        }
        return [name, fn];
      }),
    ) as Record<FunctionName, HouseFunction>;
  }

  /** The Lambdas the webhook delivery state machine invokes, keyed by catalog name. */
  get deliverySteps(): Partial<Record<FunctionName, lambda.IFunction>> {
    return Object.fromEntries(Object.keys(deliverySteps).map((name) => [name, this.byName[name as FunctionName].function]));
  }

  /**
   * Gives the functions with `webhookDeliveries:start` the permission to start delivery executions and the
   * state machine's ARN. No delivery step starts one, so there is no circular reference to avoid here.
   */
  connectWebhookDeliveries(stateMachine: sfn.IStateMachine): void {
    for (const [name, spec] of Object.entries(functions) as [FunctionName, (typeof functions)[FunctionName]][]) {
      if (!(spec.grants as readonly Grant[]).includes('webhookDeliveries:start')) continue;
      const fn = this.byName[name];
      fn.addEnvironment('WEBHOOK_DELIVERY_STATE_MACHINE_ARN', stateMachine.stateMachineArn);
      stateMachine.grantStartExecution(fn.function);
    }
  }

  /** Every Lambda, keyed by catalog name. */
  get lambdas(): Record<FunctionName, lambda.IFunction> {
    return mapValues(this.byName, (fn) => fn.function);
  }

  /** The Lambdas the workflow invokes, keyed by catalog name. */
  get workflowSteps(): Partial<Record<FunctionName, lambda.IFunction>> {
    return Object.fromEntries(Object.keys(workflowSteps).map((name) => [name, this.byName[name as FunctionName].function]));
  }

  /**
   * Gives the functions with workflow grants the permission they asked for and, except to workflow steps, the
   * state machine's ARN. A step is referred to by the state machine's definition, so it reaches the state
   * machine by name (`byName`) rather than by reference: either way round would be a circular dependency. A
   * step that answers a callback needs no ARN, only the task token it was given.
   */
  connectWorkflow(workflow: { stateMachine: sfn.IStateMachine; stateMachineByName: sfn.IStateMachine }): void {
    for (const [name, spec] of Object.entries(functions) as [FunctionName, (typeof functions)[FunctionName]][]) {
      const grants = (spec.grants as readonly Grant[]).filter((grant) => grant.startsWith('workflow:'));
      if (grants.length === 0) continue;
      const fn = this.byName[name];
      const isStep = name in workflowSteps;
      const stateMachine = isStep ? workflow.stateMachineByName : workflow.stateMachine;
      if (!isStep || grants.includes('workflow:start')) fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
      if (grants.includes('workflow:start')) stateMachine.grantStartExecution(fn.function);
      if (grants.includes('workflow:callback')) stateMachine.grantTaskResponse(fn.function);
    }
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function mapValues<K extends string, A, B>(record: Record<K, A>, map: (value: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value as A)])) as Record<K, B>;
}

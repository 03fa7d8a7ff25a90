import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../bin/app';
import { functions, type FunctionName, type FunctionSpec } from '../../lambdas/functions';
import { routes } from '../../lambdas/http/routes';
import { ROUTE_THROTTLE } from '../../lib/api';
import { THRESHOLDS } from '../../lib/operations';

// Running it in AWS: alarms with reasons, the dead-letter queue of delivery evidence, reserved concurrency for
// the workflow steps, separate throttles for public and staff routes, and IAM narrowed to what each function
// does. Bundling is skipped (`aws:cdk:bundling-stacks`): none of this depends on the bundles.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

let app: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  const built = buildApp({
    context: { 'aws:cdk:bundling-stacks': [], senderAddress: 'reklamacje@twoj-sklep.pl', alertEmail: 'dyzur@twoj-sklep.pl', demo: 'true' },
  });
  app = Template.fromStack(built.application);
  resources = app.toJSON().Resources;
}, 60_000);

const catalog = Object.entries(functions) as [FunctionName, FunctionSpec][];

function functionId(name: FunctionName): string {
  const ids = Object.keys(app.findResources('AWS::Lambda::Function', { Properties: { Description: functions[name].description } }));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function alarms(): Resource[] {
  return Object.values(resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm');
}

/** Alarms whose metric (or one metric of its expression) is `metricName` in `namespace`. */
function alarmsOn(namespace: string, metricName: string): Resource[] {
  return alarms().filter((alarm) => {
    const p = alarm.Properties;
    if (p.Namespace === namespace && p.MetricName === metricName) return true;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
    return (p.Metrics ?? []).some((m: any) => m.MetricStat?.Metric?.Namespace === namespace && m.MetricStat?.Metric?.MetricName === metricName);
  });
}

/** The complaint workflow's logical id (the webhook deliveries have a state machine of their own). */
function complaintWorkflowId(): string {
  const [id] = Object.entries(resources).find(
    ([, resource]) =>
      resource.Type === 'AWS::StepFunctions::StateMachine' && String(resource.Properties.StateMachineName).endsWith('-ComplaintWorkflow'),
  )!;
  return id;
}

function dimension(alarm: Resource, name: string): unknown {
  return alarm.Properties.Dimensions?.find((d: { Name: string }) => d.Name === name)?.Value;
}

describe('alarms', () => {
  it('every one says why it fires and what to do, and notifies the on-call topic both ways', () => {
    expect(alarms().length).toBeGreaterThan(2 * catalog.length);
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmDescription).toMatch(/.{60,}/);
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.any(String) }]);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it.each(catalog)('watch errors and throttles of %s', (name, spec) => {
    const id = functionId(name);
    const errors = alarmsOn('AWS/Lambda', 'Errors').filter(
      (alarm) => JSON.stringify(dimension(alarm, 'FunctionName')) === JSON.stringify({ Ref: id }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]!.Properties.Threshold).toBe(THRESHOLDS.lambdaErrors);
    const throttles = alarmsOn('AWS/Lambda', 'Throttles').filter(
      (alarm) => JSON.stringify(dimension(alarm, 'FunctionName')) === JSON.stringify({ Ref: id }),
    );
    expect(throttles).toHaveLength(1);
    // A capped step is throttled on purpose in a herd: only a sustained throttle is news.
    expect(throttles[0]!.Properties.EvaluationPeriods).toBe(spec.reservedConcurrency === undefined ? 1 : THRESHOLDS.cappedThrottlePeriods);
  });

  it('watch the pipe that carries the table stream to the event bus', () => {
    const [alarm, ...others] = alarmsOn('AWS/EventBridge/Pipes', 'ExecutionFailed');
    expect(others).toEqual([]);
    expect(alarm!.Properties).toMatchObject({ Statistic: 'Sum', EvaluationPeriods: THRESHOLDS.pipeFailurePeriods });
  });

  it('watch DynamoDB throttling of reads and writes on the complaints table', () => {
    const [reads] = alarmsOn('AWS/DynamoDB', 'ReadThrottleEvents');
    const [writes] = alarmsOn('AWS/DynamoDB', 'WriteThrottleEvents');
    expect(reads).toBeDefined();
    expect(reads).toBe(writes);
    expect(reads!.Properties.Threshold).toBe(THRESHOLDS.tableThrottles);
  });

  it("watch the account's SES bounce rate below the level where SES reviews the account (5%)", () => {
    const [alarm] = alarmsOn('AWS/SES', 'Reputation.BounceRate');
    expect(alarm!.Properties.Threshold).toBeLessThan(0.05);
    expect(alarm!.Properties.Statistic).toBe('Maximum');
  });

  it.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled'])('watch the workflow: %s', (metricName) => {
    const [alarm, ...others] = alarmsOn('AWS/States', metricName).filter(
      (each) => JSON.stringify(dimension(each, 'StateMachineArn')) === JSON.stringify({ Ref: complaintWorkflowId() }),
    );
    expect(others).toEqual([]);
    expect(alarm).toBeDefined();
  });

  it('watch the webhook deliveries: a failed delivery execution (a step that kept failing) raises an alarm', () => {
    const deliveries = Object.entries(resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::StepFunctions::StateMachine' && String(resource.Properties.StateMachineName).endsWith('-WebhookDelivery'),
    )![0];
    const watching = alarmsOn('AWS/States', 'ExecutionsFailed').filter(
      (each) => JSON.stringify(dimension(each, 'StateMachineArn')) === JSON.stringify({ Ref: deliveries }),
    );
    expect(watching).toHaveLength(1);
  });

  it('watch 5xx answers of the HTTP API', () => {
    const [alarm] = alarmsOn('AWS/ApiGateway', '5xx');
    expect(dimension(alarm!, 'ApiId')).toEqual({ Ref: Object.keys(app.findResources('AWS::ApiGatewayV2::Api'))[0] });
    expect(alarm!.Properties.Threshold).toBe(THRESHOLDS.api5xx);
  });
});

describe('delivery evidence', () => {
  it('SES events the recording function could not take land in an encrypted dead-letter queue, whose depth raises an alarm', () => {
    const [rule] = Object.values(app.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.ses'] } } }));
    const [target] = rule!.Properties.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [functionId('recordDelivery'), 'Arn'] });
    const queueId = target.DeadLetterConfig.Arn['Fn::GetAtt'][0];
    expect(resources[queueId]!.Type).toBe('AWS::SQS::Queue');
    expect(resources[queueId]!.Properties.SqsManagedSseEnabled).toBe(true);
    expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: 24 * 3600 });
    app.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' }),
        ]),
      },
    });
    const depth = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible').filter(
      (alarm) => JSON.stringify(dimension(alarm, 'QueueName')) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'QueueName'] }),
    );
    expect(depth).toHaveLength(1);
    expect(depth[0]!.Properties.Threshold).toBe(1);
  });
});

describe('concurrency', () => {
  it('caps exactly the functions the catalog caps, the workflow steps, leaving intake and the staff API uncapped', () => {
    for (const [name, spec] of catalog) {
      expect(resources[functionId(name)]!.Properties.ReservedConcurrentExecutions).toBe(spec.reservedConcurrency);
    }
    expect(functions.intake).not.toHaveProperty('reservedConcurrency');
    for (const staffFunction of ['staffReads', 'staffChanges', 'staffWebhooks'] as const)
      expect(functions[staffFunction]).not.toHaveProperty('reservedConcurrency');
    expect(functions.advanceComplaint.reservedConcurrency).toBeGreaterThan(0);
    // The account must keep 100 unreserved: with the default 1,000 the caps leave intake most of the pool.
    const reserved = catalog.reduce((sum, [, spec]) => sum + (spec.reservedConcurrency ?? 0), 0);
    expect(reserved).toBeLessThanOrEqual(100);
  });
});

describe('API throttling', () => {
  it('throttles every route by its audience: public routes and staff routes apart, the public limit as the stage default', () => {
    const [stage] = Object.values(app.findResources('AWS::ApiGatewayV2::Stage'));
    const settings = stage!.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of routes) {
      const limit = ROUTE_THROTTLE[route.authorization];
      expect(settings[`${route.method} ${route.path}`]).toEqual({ ThrottlingRateLimit: limit.rateLimit, ThrottlingBurstLimit: limit.burstLimit });
    }
    expect(ROUTE_THROTTLE.none).not.toEqual(ROUTE_THROTTLE.iam);
    expect(stage!.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: ROUTE_THROTTLE.none.rateLimit });
  });

  it('creates the stage after its routes, so CloudFormation finds the route keys it throttles', () => {
    const [stageId] = Object.keys(app.findResources('AWS::ApiGatewayV2::Stage'));
    const dependsOn = (app.toJSON().Resources[stageId!].DependsOn ?? []) as string[];
    for (const routeId of Object.keys(app.findResources('AWS::ApiGatewayV2::Route'))) expect(dependsOn).toContain(routeId);
  });
});

describe('IAM', () => {
  const NEVER = ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLDelete'];

  function actionsOfRole(roleId: string, prefix: string): string[] {
    return Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap((resource) => resource.Properties.PolicyDocument.Statement)
      .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat())
      .filter((action: string) => action.startsWith(prefix))
      .sort();
  }

  it.each(catalog)('gives %s exactly the DynamoDB actions the catalog lists for it', (name, spec) => {
    const roleId = resources[functionId(name)]!.Properties.Role['Fn::GetAtt'][0];
    // GetRecords, GetShardIterator, DescribeStream and ListStreams come with the stream event source, on the stream.
    const tableActions = actionsOfRole(roleId, 'dynamodb:').filter((action) => !/Stream|Shard|GetRecords/.test(action));
    expect(tableActions).toEqual([...spec.table].sort());
  });

  it("lets nothing scan or batch-write, only the staff API's webhooks delete, only its reads batch-get, and the state machines only update items or nothing", () => {
    const all = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .flatMap((resource) => resource.Properties.PolicyDocument.Statement)
      .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
    for (const action of NEVER) expect(all).not.toContain(action);
    expect(catalog.filter(([, spec]) => (spec.table as readonly string[]).includes('dynamodb:DeleteItem')).map(([name]) => name)).toEqual([
      'staffWebhooks',
    ]);
    expect(catalog.filter(([, spec]) => (spec.table as readonly string[]).includes('dynamodb:BatchGetItem')).map(([name]) => name)).toEqual([
      'staffReads',
    ]);
    const roleOf = (suffix: string) =>
      Object.values(resources).find(
        (resource) => resource.Type === 'AWS::StepFunctions::StateMachine' && String(resource.Properties.StateMachineName).endsWith(suffix),
      )!.Properties.RoleArn['Fn::GetAtt'][0];
    expect(actionsOfRole(roleOf('-ComplaintWorkflow'), 'dynamodb:')).toEqual(['dynamodb:UpdateItem']);
    expect(actionsOfRole(roleOf('-WebhookDelivery'), 'dynamodb:')).toEqual([]);
  });
});

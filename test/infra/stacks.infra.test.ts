import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../bin/app';
import { configFiles, configLocation, readConfigFile, type ConfigFileSpec } from '../../lambdas/adapters/config-files';
import { nonKeyAttributes, tableDesign, type IndexDesign } from '../../lambdas/adapters/table-design';
import { deliverySteps, functions, workflowSteps, type FunctionName } from '../../lambdas/functions';
import { COMPLAINT_EVENT_SOURCE, eventConsumers } from '../../lambdas/event-consumers';
import { routes } from '../../lambdas/http/routes';
import { ORIGIN_VERIFY_HEADER } from '../../lambdas/http/client-address';
import { complaintWorkflowFile } from '../../lib/workflow';
import { webhookDeliveryFile } from '../../lib/webhook-deliveries';

// Intent on the synthesized templates (STYLE.md §10), read from the same sources of truth the stacks are built
// from: the function catalog, the route table, the table design and the ASL file. The app is synthesized once,
// with real bundling and with cdk-nag on, exactly as `cdk synth` does.

const SENDER = 'reklamacje@sklep.example';
const ALERTS = 'dyzur@sklep.example';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
type Resources = Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> }>;

/**
 * A deployment's staff directory: IAM principals only, no demo keys, and as large as a real one (200 people,
 * ~40 KB: ten times what Lambda allows for all environment variables together).
 */
const STAFF_FILE = path.join(mkdtempSync(path.join(tmpdir(), 'staff-')), 'staff.json');
const STAFF_COUNT = 200;
writeFileSync(
  STAFF_FILE,
  JSON.stringify({
    staff: [
      {
        id: 'marta',
        name: 'Marta Nowak',
        email: 'marta@sklep.example',
        role: 'supervisor',
        departments: [],
        principalArn: 'arn:aws:iam::123456789012:role/ComplaintsSupervisor',
      },
      ...Array.from({ length: STAFF_COUNT - 1 }, (_, i) => ({
        id: `agent.${i}`,
        name: `Agentka Numer ${i} Wielokrotnie-Złożona`,
        email: `agent.${i}@sklep.example`,
        role: 'agent',
        departments: [['returns', 'service', 'payments', 'logistics', 'triage'][i % 5]],
        principalArn: `arn:aws:iam::123456789012:role/ComplaintsAgent${i}`,
      })),
    ],
  }),
);

let built: ReturnType<typeof buildApp>;
let assembly: CloudAssembly;
let data: Template;
let app: Template;

beforeAll(() => {
  built = buildApp({
    context: {
      senderAddress: SENDER,
      alertEmail: ALERTS,
      companyName: 'Sklep Testowy sp. z o.o.',
      staffDirectory: STAFF_FILE,
      // cdk-nag findings fail the cdk-nag test below, with their rules and paths, instead of every test here.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  assembly = built.app.synth();
  data = Template.fromStack(built.stateful);
  app = Template.fromStack(built.application);
}, 120_000);

/** The state machine whose name ends so (the complaint workflow, the webhook deliveries). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
function stateMachineNamed(suffix: string): { Properties: Record<string, any> } {
  const found = Object.values(app.findResources('AWS::StepFunctions::StateMachine')).filter((machine) =>
    String(machine.Properties.StateMachineName).endsWith(suffix),
  );
  expect(found).toHaveLength(1);
  return found[0] as { Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The logical id of the Lambda deployed for a catalog entry (descriptions are unique in the catalog). */
function functionLogicalId(name: FunctionName): string {
  const found = app.findResources('AWS::Lambda::Function', { Properties: { Description: functions[name].description } });
  const ids = Object.keys(found);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

describe('the complaints table', () => {
  it('is on-demand, encrypted, point-in-time recoverable, deletion-protected and streams new and old images', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('survives the deletion of its stack', () => {
    data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('has the keys, expiry attribute and indexes of the table design', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: tableDesign.timeToLiveAttribute, Enabled: true },
      GlobalSecondaryIndexes: (Object.entries(tableDesign.indexes) as [string, IndexDesign][]).map(([IndexName, index]) =>
        Match.objectLike({
          IndexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          // An index whose lists read the complaints themselves (the lookups) holds keys only.
          Projection:
            nonKeyAttributes(index).length > 0
              ? { ProjectionType: 'INCLUDE', NonKeyAttributes: nonKeyAttributes(index) }
              : { ProjectionType: 'KEYS_ONLY' },
        }),
      ),
    });
  });

  it('publishes its name as an output', () => {
    data.hasOutput('TableName', {});
  });
});

describe("the customer's pages", () => {
  it('are served through CloudFront with a CSP without inline script, HSTS and no framing', () => {
    // The CSP names the attachments bucket (an imported name, so CloudFormation joins it in): read it as text.
    const [headersPolicy] = Object.values(app.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const csp = JSON.stringify(headersPolicy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
    expect(csp).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    expect(csp).toContain('"Override":true');
    app.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ IncludeSubdomains: true, Override: true }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      },
    });
    const policy = JSON.stringify(app.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policy).not.toContain('unsafe-inline');
  });

  it("send the API's paths to the API from the same origin (no CORS), everything else to the private bucket", () => {
    app.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        CacheBehaviors: ['/complaints', '/complaints/*', '/openapi.json', '/health'].map((path) => Match.objectLike({ PathPattern: path })),
      }),
    });
  });

  it('CloudFront sends the API a generated origin secret, and only the functions that count clients by address know it', () => {
    const [secretId] = Object.keys(app.findResources('AWS::SecretsManager::Secret', { Properties: { GenerateSecretString: Match.anyValue() } }));
    expect(secretId).toBeDefined();
    const [distribution] = Object.values(app.findResources('AWS::CloudFront::Distribution'));
    const apiOrigins = (
      distribution?.Properties.DistributionConfig.Origins as { CustomOriginConfig?: unknown; OriginCustomHeaders?: unknown[] }[]
    ).filter((origin) => origin.CustomOriginConfig);
    expect(apiOrigins).toHaveLength(1);
    expect(apiOrigins[0]!.OriginCustomHeaders).toEqual([{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: expect.anything() }]);
    const value = JSON.stringify(apiOrigins[0]!.OriginCustomHeaders);
    expect(value).toContain('{{resolve:secretsmanager:');
    expect(value).toContain(secretId);
    const knowing = (Object.keys(functions) as FunctionName[]).filter((name) => {
      const [fn] = Object.values(app.findResources('AWS::Lambda::Function', { Properties: { Description: functions[name].description } }));
      return fn?.Properties.Environment?.Variables?.ORIGIN_VERIFY !== undefined;
    });
    expect(knowing.sort()).toEqual(['customerStatus', 'intake']);
  });

  it("are what the acknowledgement e-mail and a staff member's question link to", () => {
    for (const name of ['advanceComplaint', 'staffChanges'] as const) {
      const [fn] = Object.values(app.findResources('AWS::Lambda::Function', { Properties: { Description: functions[name].description } }));
      expect({ name, url: JSON.stringify(fn?.Properties.Environment.Variables.PUBLIC_BASE_URL) }).toEqual({
        name,
        url: expect.stringContaining('DomainName'),
      });
    }
  });
});

describe('the functions', () => {
  const catalog = Object.entries(functions) as [FunctionName, (typeof functions)[FunctionName]][];

  it("are one Lambda per catalog entry, besides CDK's provider that copies the pages into S3", () => {
    app.resourceCountIs('AWS::Lambda::Function', catalog.length + 1);
  });

  it.each(catalog)('%s runs on Node.js 22 or newer, on arm64, traced, sized as the catalog says, logging JSON at INFO', (_name, spec) => {
    const [resource] = Object.values(app.findResources('AWS::Lambda::Function', { Properties: { Description: spec.description } }));
    const properties = resource!.Properties;
    expect(Number(/^nodejs(\d+)\.x$/.exec(properties.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
    expect(properties).toMatchObject({
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: spec.memory,
      Timeout: spec.timeout,
      LoggingConfig: { LogGroup: expect.anything(), LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
    });
  });

  it.each(catalog)('%s gets the shared environment, and the state machine ARN only with a workflow grant', (name, spec) => {
    const [resource] = Object.values(app.findResources('AWS::Lambda::Function', { Properties: { Description: spec.description } }));
    const variables = resource!.Properties!.Environment.Variables;
    expect(variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      TABLE_NAME: expect.anything(),
      SENDER_ADDRESS: SENDER,
      COMPANY_NAME: 'Sklep Testowy sp. z o.o.',
      SES_CONFIGURATION_SET: expect.anything(),
    });
    // Workflow steps answer callbacks with the task token they are given; only starting needs the ARN.
    const grants = spec.grants as readonly string[];
    const needsArn = grants.includes('workflow:start') || (!(name in workflowSteps) && grants.some((grant) => grant.startsWith('workflow:')));
    expect('STATE_MACHINE_ARN' in variables).toBe(needsArn);
  });

  it.each(catalog)("%s keeps its environment well under Lambda's 4 KB, with a 200-person staff directory deployed", (_name, spec) => {
    const [resource] = Object.values(app.findResources('AWS::Lambda::Function', { Properties: { Description: spec.description } }));
    const variables = resource!.Properties!.Environment.Variables as Record<string, unknown>;
    // Tokens (the table name import, the state machine ARN) resolve to at most a few hundred characters.
    const size = Object.entries(variables).reduce((sum, [name, value]) => sum + name.length + JSON.stringify(value).length, 0);
    expect(size).toBeLessThan(1024);
    expect(Object.keys(variables)).not.toEqual(expect.arrayContaining(['STAFF_DIRECTORY']));
    expect(Object.keys(variables)).not.toEqual(expect.arrayContaining(['CUSTOM_POLICIES']));
  });

  it.each(catalog)('%s carries in its bundle the configuration files it reads, and no others', (name) => {
    const files = fs.readdirSync(path.join(bundleOf(name), 'config')).sort();
    const wanted = (Object.values(configFiles) as ConfigFileSpec[])
      .filter((spec) => spec.readBy === 'all' || spec.readBy.includes(name))
      .map((spec) => spec.file)
      .sort();
    expect(files).toEqual(wanted);
  });

  it("give the staff directory to the staff API's functions and its letter printer alone, which read all 200 people from their bundles, and never the demo keys", () => {
    const holders = (Object.keys(functions) as FunctionName[]).filter((name) => fs.existsSync(path.join(bundleOf(name), 'config', 'staff.json')));
    expect(holders).toEqual(['staffReads', 'staffChanges', 'staffWebhooks', 'decisionLetter']);
    // What the deployed function does at cold start: the adapter, with Lambda's LAMBDA_TASK_ROOT.
    const directory = readConfigFile('staffDirectory', configLocation({ LAMBDA_TASK_ROOT: bundleOf('staffReads') }));
    expect(directory.staff).toHaveLength(STAFF_COUNT);
    expect(directory.staff[0]!.principalArn).toBe('arn:aws:iam::123456789012:role/ComplaintsSupervisor');
    const departments = readConfigFile('departments', configLocation({ LAMBDA_TASK_ROOT: bundleOf('intake') }));
    expect(departments.departments.map((department) => department.id)).toContain(departments.fallback);
    expect(JSON.stringify(app.toJSON())).not.toContain('AKIALOCAL');
    for (const name of holders) expect(fs.readFileSync(path.join(bundleOf(name), 'config', 'staff.json'), 'utf8')).not.toContain('AKIALOCAL');
  });

  it('keep their logs for a bounded time', () => {
    const groups = Object.values(app.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(catalog.length);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('the HTTP API', () => {
  it('has exactly the routes of the route table', () => {
    app.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
  });

  it("uses one IAM (SigV4) authorizer type for every 'iam' route and none for the public ones", () => {
    const types = Object.values(app.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.AuthorizationType);
    expect(new Set(types)).toEqual(new Set(routes.map((route) => (route.authorization === 'iam' ? 'AWS_IAM' : 'NONE'))));
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s exists with its authorization and reaches its function with payload format 2.0',
    (routeKey, route) => {
      const found = Object.values(app.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }));
      expect(found).toHaveLength(1);
      const properties = found[0]!.Properties!;
      expect(properties.AuthorizationType).toBe(route.authorization === 'iam' ? 'AWS_IAM' : 'NONE');
      const integrationId = properties.Target['Fn::Join'][1][1].Ref as string;
      const integration = app.toJSON().Resources[integrationId].Properties;
      expect(integration).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(route.function), 'Arn'] },
      });
    },
  );

  it('serves the staff API from three functions split along the registry: reads, changes to complaints, outbound webhooks', () => {
    const servedBy = (routeKey: string) => {
      const [route] = Object.values(app.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }));
      const integrationId = route!.Properties!.Target['Fn::Join'][1][1].Ref as string;
      const target = app.toJSON().Resources[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0] as string;
      return (Object.keys(functions) as FunctionName[]).find((name) => functionLogicalId(name) === target);
    };
    const staffRoutes = routes.filter((route) => route.path.startsWith('/admin/')).map((route) => `${route.method} ${route.path}`);
    expect(Object.fromEntries(staffRoutes.map((routeKey) => [routeKey, servedBy(routeKey)]))).toEqual({
      'GET /admin/complaints': 'staffReads',
      'GET /admin/complaints/{id}': 'staffReads',
      'GET /admin/complaints/{id}/history': 'staffReads',
      'GET /admin/complaints/{id}/attachments/{attachmentId}': 'staffReads',
      'POST /admin/complaints': 'staffChanges',
      'POST /admin/complaints/{id}/assignment': 'staffChanges',
      'POST /admin/complaints/{id}/notes': 'staffChanges',
      'POST /admin/complaints/{id}/decision': 'staffChanges',
      'POST /admin/complaints/{id}/information-requests': 'staffChanges',
      'POST /admin/complaints/{id}/extension': 'staffChanges',
      'POST /admin/complaints/{id}/decision-posting': 'staffChanges',
      'POST /admin/complaints/{id}/acknowledgement': 'staffChanges',
      'GET /admin/complaints/{id}/decision-letter': 'decisionLetter',
      'GET /admin/complaints/{id}/webhook-deliveries': 'staffWebhooks',
      'POST /admin/webhook-subscriptions': 'staffWebhooks',
      'GET /admin/webhook-subscriptions': 'staffWebhooks',
      'POST /admin/webhook-subscriptions/{subscriptionId}/disable': 'staffWebhooks',
      'DELETE /admin/webhook-subscriptions/{subscriptionId}': 'staffWebhooks',
      'GET /admin/webhook-dead-letters': 'staffWebhooks',
      'POST /admin/webhook-dead-letters/{deadLetterId}/redrive': 'staffWebhooks',
      'POST /admin/webhook-dead-letters/redrive': 'staffWebhooks',
    });
  });

  it('logs access and throttles by default', () => {
    app.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('publishes its URL as an output', () => {
    app.hasOutput('ApiUrl', {});
  });
});

describe('the webhook deliveries', () => {
  const asl = fs.readFileSync(webhookDeliveryFile, 'utf8');

  it('deploy the ASL file as it is, its step function substituted', () => {
    const machine = stateMachineNamed('-WebhookDelivery');
    const key: string = machine.Properties.DefinitionS3Location.Key;
    expect(JSON.parse(fs.readFileSync(path.join(assembly.directory, `asset.${key}`), 'utf8'))).toEqual(JSON.parse(asl));
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions)).toEqual(Object.values(deliverySteps));
    for (const [name, variable] of Object.entries(deliverySteps) as [FunctionName, string][]) {
      expect(substitutions[variable]).toEqual({ 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] });
    }
  });

  it("are started by the dispatcher and the staff API's webhooks function (a redrive) only, each told the ARN", () => {
    const resources = app.toJSON().Resources as Resources;
    const [machineId] = Object.entries(resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::StepFunctions::StateMachine' && String(resource.Properties!.StateMachineName).endsWith('-WebhookDelivery'),
    )!;
    const starters = (Object.keys(functions) as FunctionName[]).filter((name) => {
      const role = resources[functionLogicalId(name)]!.Properties!.Role['Fn::GetAtt'][0] as string;
      return Object.values(resources)
        .filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties!.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap((resource) => resource.Properties!.PolicyDocument.Statement)
        .some(
          (statement: { Action: string | string[]; Resource: unknown }) =>
            [statement.Action].flat().includes('states:StartExecution') && JSON.stringify(statement.Resource) === JSON.stringify({ Ref: machineId }),
        );
    });
    expect(starters.sort()).toEqual(['staffWebhooks', 'webhookDispatcher']);
    for (const name of starters) {
      expect(resources[functionLogicalId(name)]!.Properties!.Environment.Variables.WEBHOOK_DELIVERY_STATE_MACHINE_ARN).toEqual({ Ref: machineId });
    }
  });

  it('fan out from the event bus: the dispatcher is a consumer of the events subscribers may want', () => {
    app.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [COMPLAINT_EVENT_SOURCE], 'detail-type': [...eventConsumers.webhookDispatcher.events] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId('webhookDispatcher'), 'Arn'] } })],
    });
  });

  it('never hold a subscriber-facing function without a timeout and a cap on its concurrency', () => {
    app.hasResourceProperties('AWS::Lambda::Function', {
      Description: functions.deliverWebhook.description,
      Timeout: functions.deliverWebhook.timeout,
      ReservedConcurrentExecutions: functions.deliverWebhook.reservedConcurrency,
    });
  });
});

describe('the workflow', () => {
  const asl = fs.readFileSync(complaintWorkflowFile, 'utf8');

  it('is a Standard state machine with X-Ray tracing and full logging without execution data', () => {
    // The complaint workflow and the webhook deliveries, both alike.
    app.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    for (const machine of Object.values(app.findResources('AWS::StepFunctions::StateMachine'))) {
      expect(machine.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: {
          Level: 'ALL',
          IncludeExecutionData: false,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: expect.anything() } }],
        },
      });
    }
  });

  it('deploys the ASL file as it is, with every state', () => {
    const machine = stateMachineNamed('-ComplaintWorkflow');
    const key: string = machine.Properties.DefinitionS3Location.Key;
    const deployed = fs.readFileSync(path.join(assembly.directory, `asset.${key}`), 'utf8');
    expect(JSON.parse(deployed)).toEqual(JSON.parse(asl));
    expect(Object.keys(JSON.parse(deployed).States)).toEqual(Object.keys(JSON.parse(asl).States));
  });

  it('substitutes every ${Variable} of the ASL: the table name and each step function ARN', () => {
    const machine = stateMachineNamed('-ComplaintWorkflow');
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    const variables = new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
    expect(new Set(Object.keys(substitutions))).toEqual(variables);
    expect(substitutions.TableName).toBeDefined();
    for (const [name, variable] of Object.entries(workflowSteps) as [FunctionName, string][]) {
      expect(substitutions[variable]).toEqual({ 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] });
    }
  });

  it('may invoke its step functions and update items of the table, nothing more', () => {
    const statements = policyStatements(app.toJSON().Resources, (id) => id.startsWith('WorkflowStateMachineRole'));
    for (const name of Object.keys(workflowSteps) as FunctionName[]) {
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Resource: expect.arrayContaining([{ 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] }]),
        }),
      );
    }
    const tableActions = statements.flatMap((statement) => [statement.Action].flat()).filter((action: string) => action.startsWith('dynamodb:'));
    expect(tableActions).toEqual(['dynamodb:UpdateItem']);
  });

  it('lets the functions with workflow grants start or answer it, and nothing else', () => {
    const resources = app.toJSON().Resources as Resources;
    for (const [name, spec] of Object.entries(functions) as [FunctionName, (typeof functions)[FunctionName]][]) {
      const role = resources[functionLogicalId(name)]!.Properties!.Role['Fn::GetAtt'][0] as string;
      const actions = Object.values(resources)
        .filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties!.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap((resource) => resource.Properties!.PolicyDocument.Statement)
        .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat())
        .filter((action: string) => action.startsWith('states:'));
      const grants = spec.grants as readonly string[];
      // The webhook deliveries are started by their own grant (see 'the webhook deliveries' below).
      expect(actions.includes('states:StartExecution')).toBe(grants.includes('workflow:start') || grants.includes('webhookDeliveries:start'));
      expect(actions.includes('states:SendTaskSuccess')).toBe(grants.includes('workflow:callback'));
    }
  });

  it('raises an alarm on a failed execution, to an encrypted topic the on-call address subscribes to', () => {
    app.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
    app.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    app.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: ALERTS });
  });

  it('publishes its ARN as an output', () => {
    app.hasOutput('StateMachineArn', {});
  });
});

describe('one event stream, many consumers', () => {
  const pipe = () => Object.values(app.findResources('AWS::Pipes::Pipe'))[0]!.Properties;

  it('pipes new event items from the table stream onto the complaint event bus, in bisected, bounded batches', () => {
    app.resourceCountIs('AWS::Pipes::Pipe', 1);
    app.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    const stream = pipe().SourceParameters.DynamoDBStreamParameters;
    expect(stream).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      OnPartialBatchItemFailure: 'AUTOMATIC_BISECT',
      DeadLetterConfig: { Arn: expect.anything() },
    });
    expect(stream.MaximumRetryAttempts).toBeLessThanOrEqual(10);
    expect(stream.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(24 * 3600);
    const [filter] = pipe().SourceParameters.FilterCriteria.Filters.map((entry: { Pattern: string }) => JSON.parse(entry.Pattern));
    expect(filter).toEqual({ eventName: ['INSERT'], dynamodb: { NewImage: { SK: { S: [{ prefix: 'EVENT#' }] } } } });
    expect(pipe().TargetParameters.EventBridgeEventBusParameters).toEqual({
      Source: COMPLAINT_EVENT_SOURCE,
      DetailType: '$.dynamodb.NewImage.type.S',
    });
    expect(JSON.parse(pipe().TargetParameters.InputTemplate.replace(/<[^>]+>/g, '1'))).toEqual({ complaintId: '1', type: '1', sequence: 1, at: '1' });
  });

  it.each(Object.entries(eventConsumers))(
    'gives consumer %s a rule of its own, retried for 24 hours into its own dead-letter queue',
    (name, consumer) => {
      const rules = Object.values(app.findResources('AWS::Events::Rule')).filter((rule) => rule.Properties.Description === consumer.description);
      expect(rules).toHaveLength(1);
      const rule = rules[0]!.Properties;
      expect(rule.EventPattern).toEqual({ source: [COMPLAINT_EVENT_SOURCE], 'detail-type': [...consumer.events] });
      expect(rule.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [functionLogicalId(consumer.function), 'Arn'] },
          DeadLetterConfig: { Arn: expect.anything() },
          RetryPolicy: { MaximumEventAgeInSeconds: 24 * 3600, MaximumRetryAttempts: 185 },
        }),
      ]);
      expect(name).toBeDefined();
    },
  );

  it('keeps what it gives up on in encrypted queues that refuse plain HTTP', () => {
    const queues = Object.entries(app.findResources('AWS::SQS::Queue'));
    expect(queues.length).toBeGreaterThanOrEqual(1 + Object.keys(eventConsumers).length);
    for (const [, queue] of queues)
      expect(queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined).toBe(true);
  });
});

describe('e-mail', () => {
  it('sends delivery, bounce and complaint events to the function that records them on complaints', () => {
    app.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['delivery', 'bounce', 'complaint']),
        EventBridgeDestination: Match.anyValue(),
      }),
    });
    const [rule] = Object.values(app.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.ses'] } } }));
    expect(JSON.stringify(rule!.Properties!.Targets)).toContain(functionLogicalId('recordDelivery'));
  });

  it('sends from the configured address, through a configuration set', () => {
    app.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: SENDER,
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('lets only the catalog functions with email:send send, from the sender address only', () => {
    const senders = (Object.entries(functions) as [FunctionName, (typeof functions)[FunctionName]][]).filter(([, spec]) =>
      (spec.grants as readonly string[]).includes('email:send'),
    );
    const resources = app.toJSON().Resources as Resources;
    const sendStatements = policyStatements(resources, () => true).filter((statement) => [statement.Action].flat().includes('ses:SendEmail'));
    expect(sendStatements).toHaveLength(senders.length);
    for (const statement of sendStatements) {
      expect(statement.Resource).not.toBe('*');
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': SENDER } });
    }
  });
});

describe('the cursor key', () => {
  it('is a secret the stateful stack generates, 64 characters long', () => {
    data.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
    data.hasOutput('CursorKeyArn', { Export: { Name: built.stateful.cursorKeyRef.secretArnExport } });
  });

  it("may be read by the staff API's reads and changes alone (the cursors they hand out), which are told where it is", () => {
    const resources = app.toJSON().Resources as Resources;
    const cursorKey = { 'Fn::ImportValue': built.stateful.cursorKeyRef.secretArnExport };
    const readerRoles = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .filter((resource) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
        resource.Properties!.PolicyDocument.Statement.some((statement: any) =>
          [statement.Resource].flat().some((target: unknown) => JSON.stringify(target) === JSON.stringify(cursorKey)),
        ),
      )
      .flatMap((resource) => resource.Properties!.Roles.map((role: { Ref: string }) => role.Ref));
    const roleOf = (name: FunctionName) => resources[functionLogicalId(name)]!.Properties!.Role['Fn::GetAtt'][0] as string;
    expect(readerRoles.sort()).toEqual([roleOf('staffReads'), roleOf('staffChanges')].sort());
    const told = (Object.keys(functions) as FunctionName[]).filter(
      (name) => 'CURSOR_KEY_SECRET_ARN' in resources[functionLogicalId(name)]!.Properties!.Environment.Variables,
    );
    expect(told).toEqual(['staffReads', 'staffChanges']);
    expect(JSON.stringify(resources)).not.toMatch(/"CURSOR_KEY"/);
  });
});

describe('permissions', () => {
  // Actions that support no resource-level permissions, so `*` is the only possible resource.
  const WITHOUT_RESOURCE_LEVEL = new Set([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'dynamodb:ListStreams',
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
  ]);

  it('never allow every action', () => {
    for (const template of [data, app]) {
      for (const statement of policyStatements(template.toJSON().Resources, () => true)) {
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/(^|:)\*$/);
      }
    }
  });

  it('allow a bare * resource only for actions without resource-level permissions, with a written reason', () => {
    const offenders: string[] = [];
    let wildcards = 0;
    for (const template of [data, app]) {
      for (const [id, resource] of Object.entries(template.toJSON().Resources as Resources)) {
        if (resource.Type !== 'AWS::IAM::Policy') continue;
        const suppressions = resource.Metadata?.cdk_nag?.rules_to_suppress ?? [];
        for (const statement of resource.Properties!.PolicyDocument.Statement) {
          if (![statement.Resource].flat().includes('*')) continue;
          wildcards += 1;
          for (const action of [statement.Action].flat()) {
            if (!WITHOUT_RESOURCE_LEVEL.has(action)) offenders.push(`${id}: ${action} on *`);
          }
          expect(suppressions).toContainEqual({ id: 'AwsSolutions-IAM5[Resource::*]', reason: expect.stringMatching(/\w{5,}/) });
        }
      }
    }
    expect(offenders).toEqual([]);
    expect(wildcards).toBeGreaterThan(0); // X-Ray at least: the check above did run
  });
});

describe('deployment', () => {
  it('has no circular dependency between resources (workflow steps that answer callbacks, for one)', () => {
    for (const template of [data, app]) expect(findCycle(template.toJSON().Resources as Resources)).toEqual([]);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('finds nothing that is not acknowledged', () => {
    const written = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(written.pluginReports.flatMap((plugin: { violations?: unknown[] }) => plugin.violations ?? [])).toEqual([]);
    const report = new AwsSolutionsChecks().validateScope(built.app);
    expect(
      report.violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('has a written reason for every acknowledgement', () => {
    const acknowledgements = collectAcknowledgements(built.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledgements) expect(`${id}: ${reason}`).toMatch(/: .{30,}/);
  });
});

/** The directory of a function's bundle in the cloud assembly (what Lambda unpacks to LAMBDA_TASK_ROOT). */
function bundleOf(name: FunctionName): string {
  const code = (app.toJSON().Resources as Resources)[functionLogicalId(name)]!.Properties!.Code;
  return path.join(assembly.directory, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
function policyStatements(resources: Resources, include: (logicalId: string) => boolean): any[] {
  return Object.entries(resources)
    .filter(([id, resource]) => resource.Type === 'AWS::IAM::Policy' && include(id))
    .flatMap(([, resource]) => resource.Properties!.PolicyDocument.Statement);
}

/** A cycle of logical ids linked by Ref, GetAtt or DependsOn (what CloudFormation rejects), or []. */
function findCycle(resources: Resources): string[] {
  const references = (node: unknown, found: Set<string>): Set<string> => {
    if (Array.isArray(node)) node.forEach((item) => references(item, found));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && typeof value === 'string' && value in resources) found.add(value);
        else if (key === 'Fn::GetAtt') found.add(Array.isArray(value) ? value[0] : String(value).split('.')[0]);
        else references(value, found);
      }
    }
    return found;
  };
  const edges = new Map(
    Object.entries(resources).map(([id, resource]) => {
      const dependsOn = (resource as { DependsOn?: string | string[] }).DependsOn ?? [];
      return [id, [...references(resource.Properties ?? {}, new Set([dependsOn].flat()))].filter((to) => to in resources)];
    }),
  );
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] => {
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'visiting') return [...path, next];
      if (!state.has(next)) {
        const cycle = visit(next, [...path, next]);
        if (cycle.length > 0) return cycle;
      }
    }
    state.set(id, 'done');
    return [];
  };
  for (const id of edges.keys()) {
    if (state.has(id)) continue;
    const cycle = visit(id, [id]);
    if (cycle.length > 0) return cycle;
  }
  return [];
}

function collectAcknowledgements(root: IConstruct): { id: string; reason: string }[] {
  return root.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason })));
}

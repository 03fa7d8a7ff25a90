import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../bin/app';
import { functions, type FunctionName } from '../../lambdas/functions';

// Webhooks in, on the synthesized templates: a public route that the webhook function answers, and one secret
// with the sources' secrets, in the stateful stack, that only the webhook function may read.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

let built: ReturnType<typeof buildApp>;
let data: Template;
let app: Template;

beforeAll(() => {
  built = buildApp({ context: { senderAddress: 'reklamacje@sklep.example', '@aws-cdk/core:failSynthOnValidationErrors': false } });
  built.app.synth();
  data = Template.fromStack(built.stateful);
  app = Template.fromStack(built.application);
}, 120_000);

function functionLogicalId(name: FunctionName): string {
  return Object.keys(app.findResources('AWS::Lambda::Function', { Properties: { Description: functions[name].description } }))[0]!;
}

describe('webhooks in', () => {
  it('POST /webhooks/{source} has no IAM authorization (the signature is checked by the function) and reaches the webhook function', () => {
    const [route] = Object.values(app.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: 'POST /webhooks/{source}' } }));
    expect(route?.Properties.AuthorizationType).toBe('NONE');
    const integrationId = route!.Properties.Target['Fn::Join'][1][1].Ref as string;
    expect(app.toJSON().Resources[integrationId].Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [functionLogicalId('webhookIntake'), 'Arn'] });
  });

  it('the sources’ secret is declared in the stateful stack, kept when the stack goes, and exported by a fixed name', () => {
    data.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: { GenerateSecretString: Match.objectLike({ SecretStringTemplate: JSON.stringify({ sources: {} }) }) },
    });
    data.hasOutput('WebhookSourcesSecretArn', { Export: { Name: built.stateful.webhookSourcesRef.secretArnExport } });
  });

  // The webhook function (the signing secrets) and the two steps that talk to Shopify with a shop's token.
  const secretReaders: FunctionName[] = ['webhookIntake', 'lookUpPlatformOrder', 'reportDecisionToShop'];

  it('may be read by the webhook function and the Shopify steps alone, which alone are told where it is', () => {
    const resources = app.toJSON().Resources as Resources;
    const secret = JSON.stringify({ 'Fn::ImportValue': built.stateful.webhookSourcesRef.secretArnExport });
    const readers = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .filter((resource) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
        resource.Properties!.PolicyDocument.Statement.some((statement: any) =>
          [statement.Resource].flat().some((target: unknown) => JSON.stringify(target) === secret),
        ),
      )
      .flatMap((resource) => resource.Properties!.Roles.map((role: { Ref: string }) => role.Ref));
    expect(readers.sort()).toEqual(secretReaders.map((name) => resources[functionLogicalId(name)]!.Properties!.Role['Fn::GetAtt'][0]).sort());
    const told = (Object.keys(functions) as FunctionName[]).filter(
      (name) => 'WEBHOOK_SOURCES_SECRET_ARN' in resources[functionLogicalId(name)]!.Properties!.Environment.Variables,
    );
    expect(told.sort()).toEqual([...secretReaders].sort());
    // No policy anywhere grants Secrets Manager on every secret.
    expect(JSON.stringify(resources)).not.toMatch(/"secretsmanager:GetSecretValue"[^\]]*"Resource":"\*"/);
  });
});

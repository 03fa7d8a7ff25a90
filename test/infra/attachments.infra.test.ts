import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../bin/app';
import { functions, type FunctionName } from '../../lambdas/functions';

// The attachments bucket on the synthesized templates: private, encrypted, SSL only, quarantine leftovers
// expiring, CORS for the site's origin only, and each function allowed exactly its one use on its prefix.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read by path
type Json = Record<string, any>;

let built: ReturnType<typeof buildApp>;
let data: Template;
let app: Template;

beforeAll(() => {
  built = buildApp({
    context: {
      senderAddress: 'reklamacje@sklep.example',
      publicBaseUrl: 'https://reklamacje.sklep.example/',
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  built.app.synth();
  data = Template.fromStack(built.stateful);
  app = Template.fromStack(built.application);
}, 120_000);

function attachmentsBucket(): Json {
  const [bucket] = Object.values(data.findResources('AWS::S3::Bucket', { Properties: { CorsConfiguration: Match.anyValue() } }));
  return bucket as Json;
}

/** The S3 statements of a function's role policy: actions and the object prefix after the bucket's ARN. */
function s3Grants(name: FunctionName): { actions: string[]; prefix: string }[] {
  const [fnId] = Object.keys(app.findResources('AWS::Lambda::Function', { Properties: { Description: functions[name].description } }));
  const roleRef = (app.toJSON().Resources[fnId!] as Json).Properties.Role['Fn::GetAtt'][0] as string;
  const policies = Object.values(app.findResources('AWS::IAM::Policy')).filter((policy) =>
    policy.Properties.Roles.some((role: Json) => role.Ref === roleRef),
  );
  return policies.flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('s3:')))
      .map((statement) => ({
        actions: [statement.Action].flat(),
        prefix: JSON.stringify(statement.Resource).match(/\/(quarantine|attachments)\/\*/)?.[1] ?? 'ANY',
      })),
  );
}

describe('the attachments bucket', () => {
  it('is in the stateful stack, retained, private, SSE-S3 encrypted, SSL only, with access logs', () => {
    const bucket = attachmentsBucket();
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.Properties.LoggingConfiguration).toBeDefined();
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('expires what is left in quarantine/ after a day, and unfinished multipart uploads', () => {
    const rules = attachmentsBucket().Properties.LifecycleConfiguration.Rules as Json[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'quarantine/', ExpirationInDays: 1, Status: 'Enabled' }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      ]),
    );
    // Kept files are never expired by a rule.
    expect(rules.every((rule) => rule.Prefix === 'quarantine/' || rule.ExpirationInDays === undefined)).toBe(true);
  });

  it("lets only the site's origin POST uploads from a browser (CORS)", () => {
    expect(attachmentsBucket().Properties.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedOrigins: ['https://reklamacje.sklep.example'], AllowedMethods: ['POST'] }),
    ]);
  });

  it('gives intake PutObject under quarantine/ (signing slots), GetObject there and PutObject and DeleteObject under attachments/ (keeping, and deleting the copies of a refused filing), nothing more', () => {
    expect(s3Grants('intake')).toEqual(
      expect.arrayContaining([
        { actions: ['s3:PutObject'], prefix: 'quarantine' },
        { actions: ['s3:GetObject'], prefix: 'quarantine' },
        { actions: ['s3:PutObject', 's3:DeleteObject'], prefix: 'attachments' },
      ]),
    );
    expect(s3Grants('intake')).toHaveLength(3);
  });

  it("gives the status page GetObject under quarantine/ and PutObject and DeleteObject under attachments/ (checking and keeping a reply's files), nothing more", () => {
    expect(s3Grants('customerStatus')).toEqual(
      expect.arrayContaining([
        { actions: ['s3:GetObject'], prefix: 'quarantine' },
        { actions: ['s3:PutObject', 's3:DeleteObject'], prefix: 'attachments' },
      ]),
    );
    expect(s3Grants('customerStatus')).toHaveLength(2);
  });

  it("gives the staff API's reads GetObject under attachments/ only (its links), and no other function any S3 right", () => {
    expect(s3Grants('staffReads')).toEqual([{ actions: ['s3:GetObject'], prefix: 'attachments' }]);
    for (const name of Object.keys(functions) as FunctionName[]) {
      if (!['intake', 'staffReads', 'customerStatus'].includes(name)) expect(s3Grants(name)).toEqual([]);
    }
  });

  it("lets the pages' script connect to the bucket's address (CSP), and nowhere else but the site", () => {
    const [policy] = Object.values(app.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as Json[];
    const csp = JSON.stringify(policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("connect-src 'self' https://");
    expect(csp).toContain('.s3.');
  });
});

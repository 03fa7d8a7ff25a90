import { Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../lambdas/http/client-address';
import { contentSecurityPolicy, HSTS_SECONDS } from '../lambdas/http/pages/page-security';
import { siteFiles } from '../web/site';
import { acknowledgeWildcardResource } from './nag';

export interface WebProps {
  /** The HTTP API the pages post to; CloudFront forwards the API's paths to it, so pages and API share an origin. */
  readonly httpApi: apigw.IHttpApi;
  /**
   * A WAF web ACL of scope CLOUDFRONT (it must live in us-east-1, whatever the region of this stack): its ARN,
   * e.g. the output of the ReklamacjeEdgeWaf stack (lib/edge-waf.ts). Without it the distribution has no WAF.
   */
  readonly webAclArn?: string;
  /**
   * The value CloudFront sends the API in ORIGIN_VERIFY_HEADER on every request, so that the public functions
   * can tell a request that came through CloudFront (and its WAF) from one sent to execute-api directly.
   */
  readonly originSecret: string;
  /** Where the form's script uploads attachments (the bucket's address): the CSP's connect-src allows it. */
  readonly uploadOrigin?: string;
}

/** The paths CloudFront sends to the API; everything else is the static site in S3. */
export const API_PATHS = ['/complaints', '/complaints/*', '/openapi.json', '/health'] as const;

/**
 * The customer's pages: the static form from a private S3 bucket (origin access control) and the API's routes
 * from API Gateway, behind one CloudFront distribution. One origin: the pages post to relative paths, so no
 * CORS and no API URL to inject at deploy time. Every answer, the API's pages included, gets the security
 * headers of lambdas/http/pages/page-security.ts (CSP without inline script, HSTS, frame-ancestors 'none').
 */
export class Web extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);

    // CloudFront's standard logs and the site bucket's access logs; 90 days, then gone (they hold IP addresses).
    const logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER, // CloudFront's standard logging writes with ACLs
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it into itself would loop.' });

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      // Built from the repository at every deploy: nothing in it is worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Reklamacje: CSP without inline script, HSTS, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.uploadOrigin), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_SECONDS), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    // '/en/' is the English form: S3 has no folder index, so a viewer-request function names the file.
    const folderIndex = new cloudfront.Function(this, 'FolderIndex', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Serves index.html for a path ending in /',
      code: cloudfront.FunctionCode.fromInline(
        'function handler(event) { var request = event.request; if (request.uri.endsWith("/")) { request.uri += "index.html"; } return request; }',
      ),
    });

    // The API's own host name: https://{apiId}.execute-api.{region}.amazonaws.com → {apiId}.execute-api.….
    const apiOrigin = new origins.HttpOrigin(Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint)), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      // Replaces a header of the same name a viewer sent: only CloudFront can send this value.
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originSecret },
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Everything the viewer sent but Host (API Gateway routes by its own host name), plus the viewer's address,
      // which the status page's per-client limit reads (CloudFront-Viewer-Address; a viewer cannot set it).
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: securityHeaders,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Reklamacje: the customer pages and the public API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: new cloudfront.CachePolicy(this, 'SiteCache', {
          comment: 'Reklamacje: the static pages, fresh within minutes of a deploy',
          // Minutes, not CACHING_OPTIMIZED's day: a deploy is seen without an invalidation, whose
          // CreateInvalidation permission CDK's deployment would grant on every distribution (*).
          defaultTtl: Duration.minutes(5),
          minTtl: Duration.seconds(0),
          maxTtl: Duration.hours(1),
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        }),
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: folderIndex, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(API_PATHS.map((path) => [path, apiBehavior])),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      // Edge locations in Europe and North America: the customers are in the EU.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclArn,
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Customers of an EU shop may complain from anywhere (travel, cross-border sales): no geo restriction.' },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'With the default *.cloudfront.net certificate CloudFront negotiates TLSv1 at least; a custom domain and certificate raise it to TLSv1.2_2021 (set above).',
      },
      ...(props.webAclArn
        ? []
        : [
            {
              id: 'AwsSolutions-CFR2',
              reason:
                'No webAclArn context: WAF for CloudFront lives in us-east-1; deploy the ReklamacjeEdgeWaf stack there and pass its WebAclArn output with -c webAclArn=... (README).',
            },
          ]),
    );

    // The static files, as web/site.ts builds them (the same bytes `npm start` serves); the old ones are pruned.
    const deployment = new s3deploy.BucketDeployment(this, 'Files', {
      sources: [...siteFiles()].map(([path, file]) => s3deploy.Source.data(path.slice(1), file.body.toString('utf8'))),
      destinationBucket: this.bucket,
      prune: true,
      memoryLimit: 256,
    });
    // The deployment's function and role are CDK's own custom resource, one per stack beside this construct:
    // each of its findings acknowledged by its exact text (cdk-nag 3), on that resource only.
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const copies = "CDK's BucketDeployment custom resource reads its asset from CDK's asset bucket and copies it into the site bucket";
    for (const provider of stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      Validations.of(provider).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: "CDK's BucketDeployment custom resource writes its logs with the basic execution role.",
        },
        ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${copies} (the grant helpers' action groups; prune deletes what is no longer built).`,
        })),
        { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`, reason: copies },
        { id: 'AwsSolutions-L1', reason: "CDK's BucketDeployment custom resource runs on the Python runtime CDK pins for it." },
      );
      acknowledgeWildcardResource(provider, `${this.bucket.bucketArn}/*`, `${copies}: every object of the site bucket.`);
    }
    void deployment;
  }

  /** Where customers reach the pages. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}

import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/**
 * Requests per 5 minutes from one IP address (WAF's rate-based rules count over a 5-minute window; 100 is the
 * lowest limit WAF accepts). Public writes: a customer files a complaint or looks a status up a few times; 100
 * posts in 5 minutes from one address is a script (an office behind one NAT included). Everything: pages,
 * styles and script are a handful of requests per visit, 1,000 is far above any person.
 */
export const EDGE_RATE_LIMITS = { publicPosts: 100, everything: 1_000 } as const;

/**
 * The WAF web ACL for the CloudFront distribution (lib/web.ts). WAF for CloudFront must be created in us-east-1,
 * whatever the region of the application, so it is a stack of its own: deploy it first
 * (`cdk deploy ReklamacjeEdgeWaf`), then the application with `-c webAclArn=<its WebAclArn output>`.
 * Kept apart rather than wired with crossRegionReferences, which needs a custom resource and a known account at
 * synth; a deployment that already has a web ACL passes its own ARN instead.
 */
export class EdgeWafStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('reklamacje-edge'),
      rules: [
        {
          name: 'public-posts-per-ip',
          priority: 0,
          action: { block: {} },
          visibilityConfig: visibility('reklamacje-public-posts-per-ip'),
          statement: {
            rateBasedStatement: {
              limit: EDGE_RATE_LIMITS.publicPosts,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    {
                      byteMatchStatement: {
                        fieldToMatch: { method: {} },
                        positionalConstraint: 'EXACTLY',
                        searchString: 'POST',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                    {
                      byteMatchStatement: {
                        fieldToMatch: { uriPath: {} },
                        positionalConstraint: 'STARTS_WITH',
                        searchString: '/complaints',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                  ],
                },
              },
            },
          },
        },
        {
          name: 'everything-per-ip',
          priority: 1,
          action: { block: {} },
          visibilityConfig: visibility('reklamacje-everything-per-ip'),
          statement: { rateBasedStatement: { limit: EDGE_RATE_LIMITS.everything, aggregateKeyType: 'IP' } },
        },
        {
          name: 'aws-common-rules',
          priority: 2,
          overrideAction: { none: {} },
          visibilityConfig: visibility('reklamacje-common-rules'),
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
        },
      ],
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn, description: 'Pass to the application: -c webAclArn=...' });
  }
}

import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../lambdas/functions';
import { routes, type Authorization, type Route } from '../lambdas/http/routes';

export interface ApiProps {
  /** Every function a route names, by catalog name. */
  readonly functions: Record<FunctionName, lambda.IFunction>;
  /** The route table; `lambdas/http/routes.ts` unless a test passes another. */
  readonly routes?: readonly Route[];
}

/**
 * Requests per second (steady, burst) per route, set per route so that the public routes and the staff routes
 * are throttled apart: a scripted flood of the public form gets 429 on its own routes while staff keep working.
 * Public: 1 M complaints a month is ~0.4 a second on average and a few at the busiest minute; 25/s is far
 * above honest traffic for one shop and far below what would run up the bill or use up the account's Lambda
 * concurrency. Staff: 200 people clicking about once every 10 s is 20/s at most; the CLI's scripts page lists.
 * The stage default is the public limit, for any route without its own setting.
 */
export const ROUTE_THROTTLE: Record<Authorization, { rateLimit: number; burstLimit: number }> = {
  none: { rateLimit: 25, burstLimit: 50 },
  iam: { rateLimit: 50, burstLimit: 100 },
};
const THROTTLE = ROUTE_THROTTLE.none;

/** The HTTP API (API Gateway v2), one route per entry of the route table, payload format 2.0. */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly routes: Map<string, apigw.HttpRoute>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Reklamacje: complaint intake and administration',
      createDefaultStage: false,
    });

    // Who called what, how it ended and how long it took; no IP address or user agent (personal data).
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            iamCaller: '$context.identity.userArn',
          }),
        ),
      },
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName) => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${name}Integration`, props.functions[name], {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    this.routes = new Map();
    for (const route of props.routes ?? routes) {
      const routeKey = `${route.method} ${route.path}`;
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationFor(route.function),
        authorizer: authorizerFor(route.authorization),
      });
      if (!httpRoute) throw new Error(`No route was created for ${routeKey}`);
      this.routes.set(routeKey, httpRoute);
      throttleRoute(this.stage, httpRoute, routeKey, ROUTE_THROTTLE[route.authorization]);
      if (route.authorization === 'none') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${routeKey} is public by design: lambdas/http/routes.ts marks it authorization 'none' (customers and ` +
            "monitoring have no AWS identity; staff routes use IAM). The stage's throttling bounds abuse.",
        });
      }
    }
  }

  get url(): string {
    return this.stage.url;
  }
}

/**
 * Route settings of an HTTP API stage (no L2 property yet): the stage names the route by its key, and must be
 * created after the route, or CloudFormation cannot find the key.
 */
function throttleRoute(stage: apigw.HttpStage, route: apigw.HttpRoute, routeKey: string, throttle: { rateLimit: number; burstLimit: number }): void {
  const cfnStage = stage.node.defaultChild as apigw.CfnStage;
  // A dot in a key (GET /openapi.json) would split the override path: CDK reads a backslash-escaped dot as a literal one.
  cfnStage.addPropertyOverride(`RouteSettings.${routeKey.replace(/\./g, '\\.')}`, {
    ThrottlingRateLimit: throttle.rateLimit,
    ThrottlingBurstLimit: throttle.burstLimit,
  });
  cfnStage.node.addDependency(route);
}

function authorizerFor(authorization: Authorization): apigw.IHttpRouteAuthorizer {
  switch (authorization) {
    case 'none':
      return new apigw.HttpNoneAuthorizer();
    case 'iam':
      // SigV4: staff and back-office systems sign requests with their IAM identity.
      return new HttpIamAuthorizer();
    default:
      throw new Error(`Unknown authorization ${String(authorization satisfies never)}`);
  }
}

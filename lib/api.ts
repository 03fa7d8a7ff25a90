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

// A public complaint form: far above honest traffic for one shop, far below what would run up the bill or use
// up the account's Lambda concurrency if someone scripts it. Per route overrides can come when a route needs one.
const THROTTLE = { rateLimit: 25, burstLimit: 50 };

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

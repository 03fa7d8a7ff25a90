import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { header } from './request-body';

/**
 * Who is asking, for the per-client limits of the public routes. Behind CloudFront, API Gateway sees
 * CloudFront's address; CloudFront puts the viewer's own in CloudFront-Viewer-Address (lib/web.ts forwards it),
 * which a viewer cannot set. Called directly, the API sees the caller's address. (The API can still be called
 * around CloudFront with a made-up header: see the README on WAF and the origin.)
 */
export function clientOf(event: APIGatewayProxyEventV2): string {
  const viewer = header(event, 'cloudfront-viewer-address');
  return viewer ? viewer.replace(/:\d+$/, '') : event.requestContext.http.sourceIp;
}

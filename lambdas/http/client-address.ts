import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { header } from './request-body';

/**
 * The header CloudFront adds to every request it sends the API (lib/web.ts), with a value generated at deploy
 * (a Secrets Manager secret) that the public functions also get as ORIGIN_VERIFY. A viewer cannot make
 * CloudFront send another value: CloudFront's origin custom headers replace a viewer's header of that name.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * Who is asking, for the per-client limits of the public routes. Behind CloudFront, API Gateway sees
 * CloudFront's address, and CloudFront puts the viewer's own in CloudFront-Viewer-Address (lib/web.ts forwards
 * it). That header is believed only on a request that carries CloudFront's origin secret: the API's own
 * execute-api address also answers, and a caller there could otherwise name any address it likes. Anyone
 * else is the address API Gateway saw. (Locally the API server stands in for CloudFront and adds the header.)
 */
export function clientOf(event: APIGatewayProxyEventV2, originSecret: string | undefined = process.env.ORIGIN_VERIFY): string {
  const viewer = header(event, 'cloudfront-viewer-address');
  if (viewer && originSecret && sameSecret(header(event, ORIGIN_VERIFY_HEADER), originSecret)) return viewer.replace(/:\d+$/, '');
  return event.requestContext.http.sourceIp;
}

function sameSecret(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { securityHeaders } from '../lambdas/http/pages/page-security';
import { siteFiles, type SiteFile } from '../web/site';

// What S3 and CloudFront serve in AWS (lib/web.ts), locally: the same files with the same headers, from the
// same origin as the API, so the pages post to it without CORS.

let files: Map<string, SiteFile> | undefined;

/** The static file for a GET or HEAD of this path, or undefined when the path is the API's. */
export function staticFile(method: string, pathname: string): APIGatewayProxyStructuredResultV2 | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  files ??= siteFiles();
  // CloudFront's default root object, and the index of the English folder.
  const key = pathname === '/' ? '/index.html' : pathname === '/en' || pathname === '/en/' ? '/en/index.html' : pathname;
  const file = files.get(key);
  if (!file) return undefined;
  return {
    statusCode: 200,
    headers: { 'content-type': file.contentType, 'cache-control': 'no-cache', ...securityHeaders() },
    body: method === 'HEAD' ? '' : file.body.toString('base64'),
    isBase64Encoded: true,
  };
}

// The security headers every page carries, written once: the local server sends them with its static files,
// the HTML the functions render carries them, and CloudFront's response headers policy (lib/web.ts) sets them
// on everything it serves. No inline script or style anywhere, so the policy needs no 'unsafe-inline' or nonce.

/**
 * The policy; `uploadOrigin` is the attachments bucket's address, the one place besides the site that the form's
 * script may send to (its presigned POST uploads, lambdas/core/attachments.ts).
 */
export function contentSecurityPolicy(uploadOrigin?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self'${uploadOrigin ? ` ${uploadOrigin}` : ''}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Where the attachments bucket takes uploads, from the function's (or the local runtime's) environment: the
 * S3 stand-in locally, the bucket's regional virtual-hosted address in AWS (adapters/s3-signing.ts posts there).
 */
export function uploadOriginFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AWS_ENDPOINT_URL_S3) return new URL(env.AWS_ENDPOINT_URL_S3).origin;
  if (env.ATTACHMENTS_BUCKET) return `https://${env.ATTACHMENTS_BUCKET}.s3.${env.AWS_REGION ?? 'eu-central-1'}.amazonaws.com`;
  return undefined;
}

/** Two years, subdomains included: the value the HSTS preload list asks for. */
export const HSTS_SECONDS = 2 * 365 * 24 * 60 * 60;

export function securityHeaders(uploadOrigin: string | undefined = uploadOriginFromEnvironment()): Readonly<Record<string, string>> {
  return {
    'content-security-policy': contentSecurityPolicy(uploadOrigin),
    'strict-transport-security': `max-age=${HSTS_SECONDS}; includeSubDomains`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

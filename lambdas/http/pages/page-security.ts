// The security headers every page carries, written once: the local server sends them with its static files,
// the HTML the functions render carries them, and CloudFront's response headers policy (lib/web.ts) sets them
// on everything it serves. No inline script or style anywhere, so the policy needs no 'unsafe-inline' or nonce.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Two years, subdomains included: the value the HSTS preload list asks for. */
export const HSTS_SECONDS = 2 * 365 * 24 * 60 * 60;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': `max-age=${HSTS_SECONDS}; includeSubDomains`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

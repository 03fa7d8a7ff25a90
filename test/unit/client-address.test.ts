import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { clientOf, ORIGIN_VERIFY_HEADER } from '../../lambdas/http/client-address';

// Whose attempts a per-client limit counts: the viewer CloudFront names, only when CloudFront sent the request.

const SECRET = 'Zq8tK2vN5xB7mR4wL9pD3sF6hJ1cG0aE2yU5iO8nM4kT7rW3';

function event(headers: Record<string, string>, sourceIp = '198.51.100.7'): APIGatewayProxyEventV2 {
  return { headers, requestContext: { http: { sourceIp } } } as unknown as APIGatewayProxyEventV2;
}

describe('clientOf', () => {
  it('through CloudFront (its origin header present): the viewer CloudFront names, without the port', () => {
    expect(clientOf(event({ 'cloudfront-viewer-address': '203.0.113.9:51234', [ORIGIN_VERIFY_HEADER]: SECRET }), SECRET)).toBe('203.0.113.9');
    expect(clientOf(event({ 'cloudfront-viewer-address': '2001:db8::17:443', [ORIGIN_VERIFY_HEADER]: SECRET }), SECRET)).toBe('2001:db8::17');
  });

  it('straight to execute-api with a made-up viewer address: the address API Gateway saw', () => {
    expect(clientOf(event({ 'cloudfront-viewer-address': '203.0.113.9:1' }), SECRET)).toBe('198.51.100.7');
    expect(clientOf(event({ 'cloudfront-viewer-address': '203.0.113.9:1', [ORIGIN_VERIFY_HEADER]: 'guess' }), SECRET)).toBe('198.51.100.7');
    expect(clientOf(event({ 'cloudfront-viewer-address': '203.0.113.9:1', [ORIGIN_VERIFY_HEADER]: `${SECRET}x` }), SECRET)).toBe('198.51.100.7');
  });

  it('with no origin secret configured, a viewer address is never believed', () => {
    expect(clientOf(event({ 'cloudfront-viewer-address': '203.0.113.9:1', [ORIGIN_VERIFY_HEADER]: '' }), undefined)).toBe('198.51.100.7');
  });
});

import { presignGet, presignPost, s3Location, signPolicy, signRequest } from '../../lambdas/adapters/s3-signing';

// AWS's own published examples, with their example credentials: if these hold, S3 computes the same signatures.
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('S3 Signature Version 4, against the AWS documentation', () => {
  it('signs the POST policy of "Example: Browser-Based Upload using HTTP POST" as AWS does (20151229, us-east-1)', () => {
    const policy =
      'eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9';
    expect(signPolicy(policy, credentials.secretAccessKey, '20151229', 'us-east-1')).toBe(
      '8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e',
    );
  });

  const examplebucket = { bucket: 'examplebucket', region: 'us-east-1', baseUrl: 'https://examplebucket.s3.amazonaws.com', pathStyle: false };
  const may24 = new Date('2013-05-24T00:00:00Z');

  it('presigns the GET of "Authenticating Requests: Using Query Parameters" (test.txt, 86400 s)', () => {
    const url = new URL(presignGet(examplebucket, credentials, may24, 'test.txt', 86_400));
    expect(url.origin + url.pathname).toBe('https://examplebucket.s3.amazonaws.com/test.txt');
    expect(url.searchParams.get('X-Amz-Signature')).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  it('signs the GET with a Range header of "Examples: Signature Calculations" in its Authorization header', () => {
    const { headers } = signRequest(examplebucket, credentials, may24, { method: 'GET', key: 'test.txt', headers: { Range: 'bytes=0-9' } });
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

describe('a presigned POST for an upload slot', () => {
  const now = new Date('2026-11-30T10:00:00Z');
  const post = presignPost(s3Location('reklamacje-attachments', 'eu-central-1'), { ...credentials, sessionToken: 'token' }, now, {
    key: 'quarantine/1',
    fields: { 'Content-Type': 'image/jpeg' },
    conditions: [['content-length-range', 1, 1000]],
    expiresInSeconds: 900,
  });
  const policy = JSON.parse(Buffer.from(post.fields.policy!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };

  it('posts to the bucket virtual-hosted in its region, and pins every field it hands out with an exact condition', () => {
    expect(post.url).toBe('https://reklamacje-attachments.s3.eu-central-1.amazonaws.com/');
    expect(policy.expiration).toBe('2026-11-30T10:15:00.000Z');
    expect(policy.conditions).toEqual([
      { bucket: 'reklamacje-attachments' },
      { key: 'quarantine/1' },
      { 'Content-Type': 'image/jpeg' },
      { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
      { 'x-amz-credential': 'AKIAIOSFODNN7EXAMPLE/20261130/eu-central-1/s3/aws4_request' },
      { 'x-amz-date': '20261130T100000Z' },
      { 'x-amz-security-token': 'token' },
      ['content-length-range', 1, 1000],
    ]);
    expect(post.fields['x-amz-signature']).toBe(signPolicy(post.fields.policy!, credentials.secretAccessKey, '20261130', 'eu-central-1'));
  });

  it('is path-style on a local stand-in', () => {
    const local = presignPost(s3Location('b', 'eu-central-1', 'http://127.0.0.1:4568/'), credentials, now, {
      key: 'k',
      fields: {},
      expiresInSeconds: 1,
    });
    expect(local.url).toBe('http://127.0.0.1:4568/b');
  });
});

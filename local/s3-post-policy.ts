import { timingSafeEqual } from 'node:crypto';
import { signPolicy } from '../lambdas/adapters/s3-signing';

// What S3 checks of a browser's POST upload (AWS docs: "Creating a POST policy", "Authenticating Requests:
// Browser-Based Uploads Using POST"), for the local S3 stand-in, which (s3rver) checks none of it: the
// signature over the policy, its expiration, every condition (exact, starts-with, content-length-range), and
// that every form field is named by a condition. A stand-in kinder than S3 would let an upload slot pass
// locally that S3 refuses, so the local front refuses exactly what S3 does (test/integration/attachments.test.ts).

export interface PolicyRefusal {
  status: number;
  code: string;
  message: string;
}

/** Fields S3 does not need a condition for: the signature, the policy itself, the file, and `x-ignore-*`. */
const UNCONDITIONED = new Set(['policy', 'x-amz-signature', 'file']);

export function checkPostPolicy(
  fields: ReadonlyMap<string, string>,
  fileSize: number,
  bucket: string,
  now: Date,
  secretFor: (accessKeyId: string) => string | undefined,
  region: string,
): PolicyRefusal | undefined {
  const denied = (message: string): PolicyRefusal => ({ status: 403, code: 'AccessDenied', message });
  const policy = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  const credential = fields.get('x-amz-credential');
  const date = fields.get('x-amz-date');
  if (!policy || !signature || !credential || !date || fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    return denied('Bucket POST must contain a policy, x-amz-algorithm, x-amz-credential, x-amz-date and x-amz-signature');
  }
  const [accessKeyId, day, scopeRegion, service, terminator] = credential.split('/');
  const secret = accessKeyId === undefined ? undefined : secretFor(accessKeyId);
  if (!secret) return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (day !== date.slice(0, 8) || scopeRegion !== region || service !== 's3' || terminator !== 'aws4_request') {
    return denied('Invalid according to Policy: the credential scope does not match');
  }
  const expected = Buffer.from(signPolicy(policy, secret, day, region), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  let document: { expiration?: string; conditions?: unknown[] };
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as typeof document;
  } catch {
    return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' };
  }
  if (!document.expiration || !Array.isArray(document.conditions)) return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy' };
  if (!(new Date(document.expiration).getTime() > now.getTime())) return denied('Invalid according to Policy: Policy expired.');

  const named = new Set<string>();
  const valueOf = (name: string) => (name === 'bucket' ? bucket : fields.get(name));
  for (const condition of document.conditions) {
    if (Array.isArray(condition)) {
      const [operator, target, expectedValue] = condition as [string, unknown, unknown];
      if (operator === 'content-length-range') {
        const [min, max] = [Number(target), Number(expectedValue)];
        if (fileSize > max) return { status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size' };
        if (fileSize < min) return { status: 400, code: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size' };
        continue;
      }
      const name = String(target).replace(/^\$/, '').toLowerCase();
      named.add(name);
      const actual = valueOf(name) ?? '';
      const holds = operator === 'eq' ? actual === expectedValue : operator === 'starts-with' ? actual.startsWith(String(expectedValue)) : false;
      if (!holds) return denied(`Invalid according to Policy: Policy Condition failed: ["${operator}", "$${name}", "${String(expectedValue)}"]`);
    } else if (condition && typeof condition === 'object') {
      for (const [rawName, expectedValue] of Object.entries(condition)) {
        const name = rawName.toLowerCase();
        named.add(name);
        if (valueOf(name) !== expectedValue)
          return denied(`Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${String(expectedValue)}"]`);
      }
    }
  }
  const extra = [...fields.keys()].find((name) => !UNCONDITIONED.has(name) && !name.startsWith('x-ignore-') && !named.has(name));
  if (extra) return denied(`Invalid according to Policy: Extra input fields: ${extra}`);
  return undefined;
}

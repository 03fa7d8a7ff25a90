import { InvalidConfiguration } from '../../core/errors';

// Where a service is reached and as whom, read from the environment under the names the AWS SDKs and the CLI
// read: in Lambda the runtime sets the function role's credentials and the region; locally, local/runtime.ts
// sets AWS_ENDPOINT_URL_<SERVICE> to the stand-ins, so the very same code talks to dynalite, the local SES and
// the local Step Functions. Not supported (the SDK reads them, a Lambda here needs none): shared config and
// credential files, FIPS and dual-stack endpoints, partitions other than aws and aws-cn.

export interface AwsService {
  /** The SDK's service id as AWS_ENDPOINT_URL_<ID> spells it (upper case, spaces as underscores). */
  endpointId: string;
  /** The first label of the service's public host name: https://<prefix>.<region>.amazonaws.com. */
  endpointPrefix: string;
  /** The service name in the SigV4 credential scope. */
  signingName: string;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsTarget {
  /** The endpoint's base URL, without a trailing slash. */
  endpoint: string;
  region: string;
  credentials: AwsCredentials;
}

type Environment = Record<string, string | undefined>;

function required(env: Environment, name: string, purpose: string): string {
  const value = env[name];
  if (!value) throw new InvalidConfiguration(`Missing environment variable ${name}: ${purpose}`);
  return value;
}

/**
 * The service's endpoint, region and credentials. The endpoint is, as for the SDK: AWS_ENDPOINT_URL_<ID>, else
 * AWS_ENDPOINT_URL, else the service's public regional endpoint; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips
 * the first two.
 */
export function awsTargetOf(service: AwsService, env: Environment = process.env): AwsTarget {
  const region = required(env, 'AWS_REGION', `the region to call ${service.signingName} in`);
  const credentials: AwsCredentials = {
    accessKeyId: required(env, 'AWS_ACCESS_KEY_ID', `the credentials to sign ${service.signingName} requests with`),
    secretAccessKey: required(env, 'AWS_SECRET_ACCESS_KEY', `the credentials to sign ${service.signingName} requests with`),
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
  const configured =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true'
      ? undefined
      : (env[`AWS_ENDPOINT_URL_${service.endpointId}`] ?? env.AWS_ENDPOINT_URL);
  const endpoint = configured || `https://${service.endpointPrefix}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
  return { endpoint: endpoint.replace(/\/+$/, ''), region, credentials };
}

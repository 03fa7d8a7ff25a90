import { awsTargetOf, type AwsService, type AwsTarget } from './aws-environment';
import { NetworkingError, serviceErrorOf } from './service-errors';
import { signPost } from './sigv4';
import { nodeHttpPost, type WireResponse } from './node-http-post';
import { backoffMs, MAX_ATTEMPTS, retryKindOf, RetryQuota } from './standard-retry';

// One signed request to an AWS service, and its answer: signed with SigV4 (sigv4.ts, node:crypto), sent with
// node:http(s) (node-http-post.ts; Node's fetch only when a test supplies it), retried as the SDK's standard mode retries (standard-retry.ts), and turned into the
// body's JSON or a named error (service-errors.ts). The services' own modules (dynamodb-api.ts, sesv2-api.ts, sfn-api.ts,
// secrets-manager-api.ts) say what goes in the request.

export interface WireRequest {
  /** Path and query after the endpoint, e.g. `/` or `/v2/email/outbound-emails`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A signed request as an interceptor sees it: the part of fetch's Request it reads, without building one (a
 * fetch Request and its Response cost more CPU than the node:http call itself, on every call of the local
 * runtime, whose IAM check intercepts them all).
 */
export interface InterceptedRequest {
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  clone(): InterceptedRequest;
}

/**
 * Sees every attempt's signed request on its way out and may answer it itself (a test injecting throttling;
 * a fetch Response will do) or look at what `next` answers. Below the retries: what it answers is retried and
 * mapped like AWS's answer. `next` takes the request the interceptor was given.
 */
export type Interceptor = (request: InterceptedRequest, next: (request: InterceptedRequest) => Promise<WireResponse>) => Promise<WireResponse>;

class OutgoingRequest implements InterceptedRequest {
  readonly headers = { get: (name: string) => this.fields[name.toLowerCase()] ?? null };

  constructor(
    readonly target: URL,
    readonly fields: Record<string, string>,
    readonly body: string,
  ) {}

  get url(): string {
    return this.target.href;
  }

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }

  clone(): InterceptedRequest {
    return this; // immutable: reading it twice is safe
  }
}

function outgoing(request: InterceptedRequest): OutgoingRequest {
  if (!(request instanceof OutgoingRequest)) throw new Error('An interceptor must pass on the request it was given');
  return request;
}

export interface SignedTransport {
  /** Sends the request (POST) and answers the response body's JSON ({} for an empty body). */
  send(request: WireRequest): Promise<Record<string, unknown>>;
  /** Adds an interceptor; answers a function that removes it. */
  intercept(interceptor: Interceptor): () => void;
}

export interface TransportOptions {
  /** Read once, at the first request, as the SDK reads its configuration once per client. */
  env?: Record<string, string | undefined>;
  fetch?: (request: Request) => Promise<Response>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The signing clock (tests pin it to reproduce AWS's published signatures). */
  now?: () => Date;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function signedTransport(service: AwsService, options: TransportOptions = {}): SignedTransport {
  let target: AwsTarget | undefined;
  const interceptors: Interceptor[] = [];
  const quota = new RetryQuota();
  // The signing key changes once a day: derived again only when the date changes.
  const signingKeys = new Map<string, Buffer>();
  const sleep = options.sleep ?? wait;
  const fetchWith = options.fetch;
  const send = async (request: InterceptedRequest): Promise<WireResponse> => {
    const { target, fields, body } = outgoing(request);
    return fetchWith ? fetchWith(new Request(target, { method: 'POST', headers: fields, body })) : nodeHttpPost(target, fields, body);
  };

  async function attempt(request: WireRequest): Promise<WireResponse> {
    target ??= awsTargetOf(service, options.env);
    const url = new URL(`${target.endpoint}${request.path}`);
    const headers = signPost(
      {
        url,
        headers: request.headers,
        body: request.body,
        credentials: target.credentials,
        region: target.region,
        service: service.signingName,
        now: options.now?.() ?? new Date(),
      },
      signingKeys,
    );
    try {
      const chain = interceptors.reduceRight<(request: InterceptedRequest) => Promise<WireResponse>>(
        (next, interceptor) => (req) => interceptor(req, next),
        send,
      );
      return await chain(new OutgoingRequest(url, headers, request.body));
    } catch (error) {
      throw new NetworkingError(error);
    }
  }

  return {
    async send(request) {
      let spent = 0;
      for (let attempts = 1; ; attempts++) {
        let failure: unknown;
        try {
          const response = await attempt(request);
          if (response.ok) {
            const text = await response.text().catch((error: unknown) => Promise.reject(new NetworkingError(error)));
            quota.succeeded(spent);
            return text ? (JSON.parse(text) as Record<string, unknown>) : {};
          }
          failure = await serviceErrorOf(response, attempts).catch((error: unknown) => new NetworkingError(error));
        } catch (error) {
          if (!(error instanceof NetworkingError)) throw error;
          failure = error;
        }
        const kind = retryKindOf(failure);
        const cost = kind && attempts < MAX_ATTEMPTS ? quota.take(kind) : undefined;
        if (!kind || cost === undefined) throw failure;
        spent += cost;
        await sleep(backoffMs(kind, attempts, options.random));
      }
    },
    intercept(interceptor) {
      interceptors.push(interceptor);
      return () => {
        const at = interceptors.indexOf(interceptor);
        if (at >= 0) interceptors.splice(at, 1);
      };
    },
  };
}

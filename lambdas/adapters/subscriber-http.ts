import type * as dns from 'node:dns';
import type * as http from 'node:http';
import type * as https from 'node:https';
import { addressRefusal, hostToResolve, urlRefusal, type SubscriberAddressPolicy } from '../core/subscriber-address';
import type { SubscriberClient } from '../use-cases/outbound-webhooks';

// The subscriber's side of a delivery: a POST with node's own HTTP client, whose `lookup` hook resolves the
// host, refuses it unless every address it resolves to is allowed (core/subscriber-address.ts), and hands the
// socket exactly those addresses: the address connected to is the address checked, so a name that answers
// with a public address at registration and a private one now (DNS rebinding) is refused now. No redirects
// are followed (a 3xx is a failed attempt), no proxy is used, and the whole request has one deadline.

/** How long one attempt may take, connection to last byte: a subscriber slower than this is retried later. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** What is read of a subscriber's answer: its status is all that counts. */
const MAX_ANSWER_BYTES = 64 * 1024;

export class SubscriberAddressRefused extends Error {
  override name = 'SubscriberAddressRefused';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for node's sockets that resolves every address of the name and lets none through that the policy refuses. */
export function guardedLookup(policy: SubscriberAddressPolicy, resolve?: typeof dns.lookup) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see post()
    (resolve ?? (require('node:dns') as typeof dns).lookup)(
      hostname,
      { all: true, family: options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : Number(options.family ?? 0) },
      (error, addresses) => {
        if (error) return callback(error, []);
        const refusals = addresses.map(({ address }) => addressRefusal(address, policy)).filter((refusal) => refusal !== undefined);
        if (addresses.length === 0 || refusals.length > 0) {
          return callback(new SubscriberAddressRefused(`${hostname} resolves to ${refusals[0] ?? 'no address'}`), []);
        }
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
    );
  };
}

export function subscriberHttpClient(policy: SubscriberAddressPolicy, timeoutMs = ATTEMPT_TIMEOUT_MS): SubscriberClient {
  const lookup = guardedLookup(policy);
  return {
    async refusal(url) {
      const refused = urlRefusal(url, policy);
      if (refused) return refused;
      const host = hostToResolve(url);
      if (host === undefined) return undefined;
      return new Promise((resolve) =>
        lookup(host, { all: true }, (error) =>
          resolve(
            error instanceof SubscriberAddressRefused
              ? error.message
              : error
                ? `${host} cannot be resolved (${error.code ?? error.message})`
                : undefined,
          ),
        ),
      );
    },

    post(url, headers, body) {
      return new Promise((resolve) => {
        const started = Date.now();
        const target = new URL(url);
        // node:http(s) and node:dns are required here, not at the top: the staff API's webhooks routes and the
        // dispatcher bundle this client for refusal() alone, and node:https (with TLS) cost ~5-8 ms of their cold
        // start. In AWS the first DynamoDB call loads node:https anyway (aws-wire); the point is the init, not the request.
        const client = target.protocol === 'https:' ? (require('node:https') as typeof https) : (require('node:http') as typeof http); // eslint-disable-line @typescript-eslint/no-require-imports
        const request = client.request(
          target,
          {
            method: 'POST',
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'reklamacje-webhooks/1' },
            lookup,
            agent: false,
            signal: AbortSignal.timeout(timeoutMs),
          },
          (response) => {
            let read = 0;
            response.on('data', (chunk: Buffer) => {
              read += chunk.length;
              if (read > MAX_ANSWER_BYTES) response.destroy();
            });
            const done = () => resolve({ status: response.statusCode ?? 0 });
            response.on('end', done);
            response.on('close', done);
            response.on('error', done);
          },
        );
        request.on('error', (error: NodeJS.ErrnoException) => {
          const reason =
            error.name === 'AbortError' || error.name === 'TimeoutError'
              ? `no answer within ${timeoutMs / 1000} s`
              : error instanceof SubscriberAddressRefused
                ? `address refused: ${error.message}`
                : (error.code ?? error.message);
          resolve({ error: `${reason} (after ${Date.now() - started} ms)` });
        });
        request.end(body);
      });
    },
  };
}

import type { AwsService } from './aws-environment';
import { signedTransport, type Interceptor, type TransportOptions } from './signed-transport';

// The AWS JSON protocols (1.0: DynamoDB, Step Functions; 1.1: Secrets Manager): every operation is a POST to
// `/` naming the operation in X-Amz-Target, with the input as the JSON body and the output as the answer's.
// A call is `client.send(new XCommand(input))`, as with the SDK, so that adapters read the same.

/** One operation's call: its input, and how the input and the answer go over the wire. */
export abstract class JsonCommand<Input, Output> {
  abstract readonly operation: string;
  /** Carries the output type to `send`; never set. */
  declare readonly output?: Output;

  constructor(readonly input: Input) {}

  /** The request body (the input itself, unless the service's module says otherwise). */
  toWire(): unknown {
    return this.input;
  }

  /** The output from the answer's body (as it is, unless the service's module says otherwise). */
  fromWire(body: Record<string, unknown>): Output {
    return body as Output;
  }
}

export interface JsonClient {
  send<Output>(command: JsonCommand<unknown, Output>): Promise<Output>;
  /** See signed-transport.ts: a seam under the retries, for tests that inject the service's failures. */
  intercept(interceptor: Interceptor): () => void;
}

export interface JsonProtocol {
  version: '1.0' | '1.1';
  /** X-Amz-Target's prefix, e.g. `DynamoDB_20120810`. */
  targetPrefix: string;
}

export function jsonProtocolClient(service: AwsService, protocol: JsonProtocol, options?: TransportOptions): JsonClient {
  const transport = signedTransport(service, options);
  const contentType = `application/x-amz-json-${protocol.version}`;
  return {
    async send<Output>(command: JsonCommand<unknown, Output>): Promise<Output> {
      const body = await transport.send({
        path: '/',
        headers: { 'content-type': contentType, 'x-amz-target': `${protocol.targetPrefix}.${command.operation}` },
        body: JSON.stringify(command.toWire()),
      });
      return command.fromWire(body);
    },
    intercept: (interceptor) => transport.intercept(interceptor),
  };
}

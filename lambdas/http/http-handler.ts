import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { problemResponse } from './problem';
import { header } from './request-body';

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

/** What a function tells the error mapping about its routes, so that a 500 says only what is true. */
export interface HttpHandlerOptions {
  /** Whether the event's route honours an Idempotency-Key (the registry's `request.idempotencyKey`). */
  takesIdempotencyKey?: (event: APIGatewayProxyEventV2) => boolean;
  /** How a caller finds out whether a write that failed unexpectedly took effect, in a sentence. */
  howToCheck?: string;
}

/** Wraps a route's work so that every thrown error leaves as problem+json from one mapping point. */
export function httpHandler(work: HttpHandler, options: HttpHandlerOptions = {}): HttpHandler {
  return async (event) => {
    try {
      return await work(event);
    } catch (error) {
      const routeTakesIdempotencyKey = options.takesIdempotencyKey?.(event) ?? false;
      return problemResponse(error, event.rawPath, {
        method: event.requestContext?.http?.method,
        routeTakesIdempotencyKey,
        idempotencyKeyHonoured: routeTakesIdempotencyKey && Boolean(header(event, 'idempotency-key')),
        howToCheck: options.howToCheck,
      });
    }
  };
}

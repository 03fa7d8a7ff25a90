import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { problemResponse } from './problem';

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

/** Wraps a route's work so that every thrown error leaves as problem+json from one mapping point. */
export function httpHandler(work: HttpHandler): HttpHandler {
  return async (event) => {
    try {
      return await work(event);
    } catch (error) {
      return problemResponse(error, event.rawPath);
    }
  };
}

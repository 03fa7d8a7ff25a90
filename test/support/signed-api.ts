import type { Runtime } from '../../local/runtime';
import { demoCredentials, signedHeaders } from '../../cli/signing';

/**
 * A staff member's call to the local product's admin API, signed as the CLI signs it (demo keys): its status and
 * its JSON body, read by path in the tests.
 */
export function signedApi(runtime: Runtime, staffId = 'marek.supervisor') {
  return async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const url = new URL(path, runtime.urls.api);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' };
    const response = await fetch(url, {
      method,
      body: text,
      headers: await signedHeaders({ method, url, headers, body: text }, { credentials: demoCredentials(staffId), region: 'eu-central-1' }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the answer's JSON by path
    return { status: response.status, body: (await response.json()) as any };
  };
}

import { GetSecretValueCommand } from './aws-wire/secrets-manager-api';
import { cursorSeal, type CursorSeal } from '../core/cursor-seal';
import { InvalidConfiguration } from '../core/errors';
import type { ComplaintLists, ComplaintRepository } from '../use-cases/ports';
import type { Environment } from './config';
import { secretsManager } from './secrets-client';

// The staff API's cursors, sealed on the way out and opened on the way in (lambdas/core/cursor-seal.ts),
// around the list and history ports: the stores keep their own plain positions (and their own checks of
// them), and no cursor reaches them unless this deployment handed it out for that very list or history.

/**
 * The key, read once per process on first use: in AWS from the Secrets Manager secret the stateful stack
 * generates (CURSOR_KEY_SECRET_ARN, readable by the admin function only), locally from CURSOR_KEY. A failed
 * read is not kept, so the next request tries again.
 */
export function cursorSealFrom(env: Pick<Environment, 'CURSOR_KEY' | 'CURSOR_KEY_SECRET_ARN'>): () => Promise<CursorSeal> {
  let pending: Promise<CursorSeal> | undefined;
  const read = async (): Promise<CursorSeal> => {
    if (env.CURSOR_KEY !== undefined) return cursorSeal(env.CURSOR_KEY);
    if (env.CURSOR_KEY_SECRET_ARN === undefined) {
      throw new InvalidConfiguration('Missing environment variable CURSOR_KEY_SECRET_ARN (or CURSOR_KEY): the staff API cannot seal cursors');
    }
    const { SecretString } = await secretsManager().send(new GetSecretValueCommand({ SecretId: env.CURSOR_KEY_SECRET_ARN }));
    if (!SecretString) throw new InvalidConfiguration('The cursor key secret holds no string');
    return cursorSeal(SecretString);
  };
  return () =>
    (pending ??= read().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

const LIST = 'list';
const historyOf = (complaintId: string) => `history:${complaintId}`;

/** The same ports, with every cursor they take or give sealed. */
export function sealedCursors<P extends { complaints: ComplaintRepository; lists: ComplaintLists }>(ports: P, seal: () => Promise<CursorSeal>): P {
  const { complaints, lists } = ports;
  return {
    ...ports,
    complaints: {
      ...complaints,
      async history(id, page) {
        const sealer = await seal();
        const before = page.before === undefined ? undefined : sealer.open(historyOf(id), page.before);
        const found = await complaints.history(id, { ...page, before });
        return found.before === undefined ? found : { ...found, before: sealer.seal(historyOf(id), found.before) };
      },
    },
    lists: {
      async list(request) {
        const sealer = await seal();
        const cursor = request.cursor === undefined ? undefined : sealer.open(LIST, request.cursor);
        const page = await lists.list({ ...request, cursor });
        return page.cursor === undefined ? page : { ...page, cursor: sealer.seal(LIST, page.cursor) };
      },
    },
  };
}

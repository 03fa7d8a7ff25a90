import { GetSecretValueCommand } from './aws-wire/secrets-manager-api';
import { cursorSeal, type CursorSeal } from '../core/cursor-seal';
import { InvalidConfiguration, InvalidCursor } from '../core/errors';
import { isServiceError } from './aws-wire/service-errors';
import type { ComplaintLists, ComplaintRepository, ListRequest } from '../use-cases/ports';
import type { Environment } from './config';
import { secretsManager } from './secrets-client';

// The staff API's cursors, sealed on the way out and opened on the way in (lambdas/core/cursor-seal.ts),
// around the list and history ports: the stores keep their own plain positions (and their own checks of
// them), and no cursor reaches them unless this deployment handed it out for that very list or history.

/**
 * A new key reaches a running process within this long for sealing: Lambda containers live for hours, and one
 * that kept a key through two rotations would hand out cursors no other container accepts.
 */
const KEY_MAX_AGE_MS = 15 * 60_000;
/**
 * A cursor this process cannot open makes it read the keys again (a container started after a rotation may
 * have sealed it with the new key), at most this often, so forged cursors cannot make it read the secret at will.
 */
const REREAD_AFTER_MS = 10_000;

/** The cursor seal of this process, and a fresher one after a refusal (see REREAD_AFTER_MS). */
export interface CursorKeys {
  seal(): Promise<CursorSeal>;
  /** The keys read again, unless they were read less than REREAD_AFTER_MS ago (then undefined). */
  fresher(): Promise<CursorSeal | undefined>;
}

/** The secret's value at a version stage (AWSCURRENT, AWSPREVIOUS), undefined when no version has that stage. */
type ReadSecret = (stage: 'AWSCURRENT' | 'AWSPREVIOUS') => Promise<string | undefined>;

/**
 * The keys: in AWS the Secrets Manager secret the stateful stack generates (CURSOR_KEY_SECRET_ARN, readable by
 * the admin function only), locally CURSOR_KEY. The secret's AWSCURRENT version seals and opens; its
 * AWSPREVIOUS version (the one a rotation replaced; locally CURSOR_PREVIOUS_KEY) still opens, so a rotation
 * never turns the cursors already handed out into 400s. A failed read is not kept: the next request tries again.
 */
export function cursorSealFrom(
  env: Pick<Environment, 'CURSOR_KEY' | 'CURSOR_PREVIOUS_KEY' | 'CURSOR_KEY_SECRET_ARN'>,
  options: { readSecret?: ReadSecret; now?: () => number } = {},
): CursorKeys {
  const now = options.now ?? Date.now;
  const readSecret = options.readSecret ?? secretStage(env.CURSOR_KEY_SECRET_ARN);
  const read = async (): Promise<CursorSeal> => {
    if (env.CURSOR_KEY !== undefined) return cursorSeal(env.CURSOR_KEY, env.CURSOR_PREVIOUS_KEY === undefined ? [] : [env.CURSOR_PREVIOUS_KEY]);
    const [current, previous] = await Promise.all([readSecret('AWSCURRENT'), readSecret('AWSPREVIOUS')]);
    if (!current) throw new InvalidConfiguration('The cursor key secret holds no string');
    return cursorSeal(current, previous ? [previous] : []);
  };
  let cached: { seal: Promise<CursorSeal>; readAt: number } | undefined;
  const load = () => {
    const entry = {
      readAt: now(),
      seal: read().catch((error: unknown) => {
        if (cached === entry) cached = undefined;
        throw error;
      }),
    };
    cached = entry;
    return entry.seal;
  };
  return {
    seal: () => (cached && now() - cached.readAt < KEY_MAX_AGE_MS ? cached.seal : load()),
    fresher: async () => (cached && now() - cached.readAt < REREAD_AFTER_MS ? undefined : load()),
  };
}

function secretStage(secretArn: string | undefined): ReadSecret {
  return async (stage) => {
    if (secretArn === undefined) {
      throw new InvalidConfiguration('Missing environment variable CURSOR_KEY_SECRET_ARN (or CURSOR_KEY): the staff API cannot seal cursors');
    }
    try {
      const { SecretString } = await secretsManager().send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: stage }));
      return SecretString;
    } catch (error) {
      // A secret never rotated has no AWSPREVIOUS version.
      if (stage === 'AWSPREVIOUS' && isServiceError(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  };
}

/**
 * Opens a cursor with this process's keys, or, refused, with the keys read again (a rotation it has not seen):
 * the position, and the seal to seal the next cursor with (the fresher one, if it was read).
 */
async function opened(
  keys: CursorKeys,
  purpose: string,
  cursor: string | undefined,
  parameter: InvalidCursor['parameter'],
): Promise<{ position?: string; sealer: CursorSeal }> {
  const sealer = await keys.seal();
  if (cursor === undefined) return { sealer };
  try {
    return { position: sealer.open(purpose, cursor, parameter), sealer };
  } catch (error) {
    if (!(error instanceof InvalidCursor)) throw error;
    const fresher = await keys.fresher();
    if (!fresher) throw error;
    return { position: fresher.open(purpose, cursor, parameter), sealer: fresher };
  }
}

const LIST = 'list';
const historyOf = (complaintId: string) => `history:${complaintId}`;

/** The same ports, with every cursor they take or give sealed (the lists' too, where the ports have lists). */
export function sealedCursors<P extends { complaints: ComplaintRepository; lists?: ComplaintLists }>(ports: P, keys: CursorKeys): P {
  const { complaints, lists } = ports;
  return {
    ...ports,
    complaints: {
      ...complaints,
      async history(id, page) {
        const { position: before, sealer } = await opened(keys, historyOf(id), page.before, 'before');
        const found = await complaints.history(id, { ...page, before });
        return found.before === undefined ? found : { ...found, before: sealer.seal(historyOf(id), found.before) };
      },
    },
    ...(lists && {
      lists: {
        async list(request: ListRequest) {
          const { position: cursor, sealer } = await opened(keys, LIST, request.cursor, 'cursor');
          const page = await lists.list({ ...request, cursor });
          return page.cursor === undefined ? page : { ...page, cursor: sealer.seal(LIST, page.cursor) };
        },
      },
    }),
  };
}

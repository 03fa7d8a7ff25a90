import { cursorSeal } from '../../lambdas/core/cursor-seal';
import { InvalidCursor } from '../../lambdas/core/errors';
import { cursorSealFrom, sealedCursors } from '../../lambdas/adapters/sealed-cursors';
import type { ComplaintLists, ComplaintRepository, ListRequest } from '../../lambdas/use-cases/ports';

// The staff API's cursor keys across a rotation of their secret (AWSCURRENT seals, AWSPREVIOUS still opens),
// with the Secrets Manager read and the clock given.

const before = 'the key before the rotation, 32+ bytes long';
const after = 'the key after the rotation, 32+ bytes long';
const position = Buffer.from('{"at":"2026-11-20"}').toString('base64url');

function deployment() {
  const secret: { AWSCURRENT: string; AWSPREVIOUS?: string } = { AWSCURRENT: before };
  let reads = 0;
  let clock = 0;
  const keys = cursorSealFrom(
    {},
    {
      readSecret: async (stage) => {
        reads += 1;
        return secret[stage];
      },
      now: () => clock,
    },
  );
  const lists: ComplaintLists = { list: async (request: ListRequest) => ({ complaints: [], cursor: request.cursor ?? position }) };
  const ports = sealedCursors({ complaints: {} as ComplaintRepository, lists }, keys);
  return {
    ports,
    rotate: () => Object.assign(secret, { AWSCURRENT: after, AWSPREVIOUS: before }),
    wait: (ms: number) => (clock += ms),
    reads: () => reads,
  };
}

const page = (cursor?: string): ListRequest => ({ scope: { kind: 'all' }, order: 'newest', filter: {}, limit: 25, cursor });

it('keeps opening the cursors handed out before a rotation, and seals new ones with the new key once it has read it', async () => {
  const { ports, rotate, wait } = deployment();
  const handedOut = (await ports.lists.list(page())).cursor!;
  rotate();
  wait(16 * 60_000); // past the 15 min a process keeps its keys
  const next = await ports.lists.list(page(handedOut));
  expect(next.cursor).toBe(cursorSeal(after).seal('list', position));
});

it('opens a cursor another process sealed with the new key by reading the keys again, at most every 10 s', async () => {
  const { ports, rotate, wait, reads } = deployment();
  await ports.lists.list(page());
  rotate();
  wait(11_000);
  const sealedElsewhere = cursorSeal(after).seal('list', position);
  await expect(ports.lists.list(page(sealedElsewhere))).resolves.toMatchObject({ cursor: sealedElsewhere });
  const readsSoFar = reads();
  const forged = cursorSeal('neither key of this deployment, 32+ bytes').seal('list', position);
  await expect(ports.lists.list(page(forged))).rejects.toBeInstanceOf(InvalidCursor);
  expect(reads()).toBe(readsSoFar);
});

it('locally takes the replaced key from CURSOR_PREVIOUS_KEY', async () => {
  const keys = cursorSealFrom({ CURSOR_KEY: after, CURSOR_PREVIOUS_KEY: before });
  expect((await keys.seal()).open('list', cursorSeal(before).seal('list', position))).toBe(position);
});

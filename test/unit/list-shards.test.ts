import { randomUUID } from 'node:crypto';
import { departmentIndexAttributes, indexAttributes, LIST_SHARDS, listShardOf } from '../../lambdas/adapters/table-design';

// The shard function behind the lists of all complaints and of each department (table-design.ts).

const counts = (ids: readonly string[]) => {
  const perShard = new Array<number>(LIST_SHARDS).fill(0);
  for (const id of ids) perShard[listShardOf(id)]! += 1;
  return perShard;
};

describe('list shards', () => {
  it('puts the same complaint on the same shard every time', () => {
    const id = randomUUID();
    expect(new Set(Array.from({ length: 10 }, () => listShardOf(id))).size).toBe(1);
    expect(listShardOf('3b0c6f2e-8a1d-4c55-9f3e-2d7b1a0c9e11')).toBe(listShardOf('3b0c6f2e-8a1d-4c55-9f3e-2d7b1a0c9e11'));
  });

  it.each([
    ['random complaint ids', Array.from({ length: 16_000 }, () => randomUUID())],
    ['ids that differ only in their last characters', Array.from({ length: 16_000 }, (_, i) => `complaint-${String(i).padStart(6, '0')}`)],
  ])('spreads %s evenly: every shard within 10 %% of its share', (_case, ids) => {
    const share = ids.length / LIST_SHARDS;
    for (const count of counts(ids)) {
      expect(count).toBeGreaterThan(share * 0.9);
      expect(count).toBeLessThan(share * 1.1);
    }
  });

  it('uses shards 0 to LIST_SHARDS - 1 only', () => {
    const shards = new Set(Array.from({ length: 1_000 }, () => listShardOf(randomUUID())));
    expect([...shards].sort((a, b) => a - b)).toEqual(Array.from({ length: LIST_SHARDS }, (_, i) => i));
  });

  it('keeps a complaint on its shard when it moves between departments, so only the department part changes', () => {
    const id = randomUUID();
    const shard = listShardOf(id);
    const received = indexAttributes({ id, responseDueBy: '2026-12-07', customer: { email: 'Anna@Example.com' } });
    expect(received).toEqual({
      listShard: `ALL#${shard}`,
      listDepartment: 'unassigned',
      departmentShard: `unassigned#${shard}`,
      dueKey: `2026-12-07#${id}`,
      customerEmail: 'anna@example.com',
    });
    expect(departmentIndexAttributes(id, 'returns')).toEqual({ listDepartment: 'returns', departmentShard: `returns#${shard}` });
  });
});

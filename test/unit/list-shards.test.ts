import { randomUUID } from 'node:crypto';
import type { DynamoDocumentClient, QueryCommandInput } from '../../lambdas/adapters/aws-wire/dynamodb-api';
import { dynamoComplaintLists } from '../../lambdas/adapters/complaint-lists';
import { allComplaintsPartitions, departmentIndexAttributes, indexAttributes, LIST_SHARDS, listShardOf } from '../../lambdas/adapters/table-design';

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
    expect(departmentIndexAttributes(id, 'returns')).toEqual({ listDepartment: 'returns', departmentShard: `returns#${shard}` });
    expect(departmentIndexAttributes(id, 'service')).toEqual({ listDepartment: 'service', departmentShard: `service#${shard}` });
  });

  it('keeps a complaint nobody routed yet out of the department indexes (sparse), while its list rows say unassigned', () => {
    const id = randomUUID();
    const received = indexAttributes({ id, responseDueBy: '2026-12-07', customer: { email: 'Anna@Example.com' } });
    expect(received).toEqual({
      listShard: `ALL#${listShardOf(id)}`,
      listDepartment: 'unassigned',
      dueKey: `2026-12-07#${id}`,
      customerEmail: 'anna@example.com',
    });
  });
});

describe('the list of complaints nobody routed yet', () => {
  it('reads the shards of all complaints, filtered on the unassigned department, since no department index holds them', async () => {
    const queries: QueryCommandInput[] = [];
    const client = {
      send: async (command: { input: unknown }) => {
        queries.push(command.input as QueryCommandInput);
        return { Items: [] };
      },
      intercept: () => undefined,
    } as unknown as DynamoDocumentClient;
    const page = await dynamoComplaintLists(client, 'complaints').list({
      scope: { kind: 'department', department: 'unassigned' },
      order: 'newest',
      filter: {},
      limit: 25,
    });
    expect(page.complaints).toEqual([]);
    expect(queries.map((query) => [query.IndexName, query.ExpressionAttributeValues?.[':pk']])).toEqual(
      allComplaintsPartitions().map((partition) => ['allShardsByReceived', partition]),
    );
    for (const query of queries) {
      expect(query.FilterExpression).toBe('listDepartment IN (:dept0)');
      expect(query.ExpressionAttributeValues?.[':dept0']).toBe('unassigned');
    }
  });
});

import { randomUUID } from 'node:crypto';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { indexAttributes, LIST_SHARDS, tableDesign } from '../../lambdas/adapters/table-design';
import { StatefulStack } from '../../lib/stateful-stack';

// Issue 10, point 3: no hot keys, lean indexes. Read from the synthesized table, with the values the product
// writes into each index's partition key (table-design.ts `indexAttributes`).

const table = Template.fromStack(new StatefulStack(new App(), 'Data')).findResources('AWS::DynamoDB::Table');
const indexes = Object.values(table)[0]!.Properties.GlobalSecondaryIndexes as {
  IndexName: string;
  KeySchema: { AttributeName: string; KeyType: string }[];
  Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
}[];

// A busy day in one department: the same department, the same due date and receipt day for all.
const complaints = Array.from({ length: 200 }, (_, i): Record<string, unknown> => {
  const complaint = {
    id: randomUUID(),
    responseDueBy: '2026-12-07',
    receivedAt: '2026-11-23T09:14:03.120Z',
    customer: { email: `klient.${i}@example.com` },
    orderNumber: `ZAM-${i}`,
    assignment: { departmentId: 'returns' },
  };
  return { ...complaint, ...indexAttributes(complaint) };
});

describe('the indexes of the complaints table', () => {
  it('are the ones table-design.ts describes', () => {
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(Object.keys(tableDesign.indexes).sort());
  });

  it.each(indexes.map((index) => [index.IndexName, index] as const))('%s projects keys and a few attributes, never ALL', (_name, index) => {
    expect(index.Projection.ProjectionType).not.toBe('ALL');
    expect(index.Projection.NonKeyAttributes?.length ?? 0).toBeLessThanOrEqual(10);
  });

  it.each(indexes.map((index) => [index.IndexName, index] as const))(
    `%s spreads one department's complaints received the same day over at least ${LIST_SHARDS} partition keys`,
    (_name, index) => {
      const partitionKey = index.KeySchema.find((key) => key.KeyType === 'HASH')!.AttributeName;
      const values = new Set(complaints.map((complaint) => complaint[partitionKey]));
      expect(values.has(undefined)).toBe(false);
      expect(values.size).toBeGreaterThanOrEqual(LIST_SHARDS);
    },
  );

  it('has no constant partition key: every index spreads its writes', () => {
    const constant = indexes.filter((index) => {
      const partitionKey = index.KeySchema.find((key) => key.KeyType === 'HASH')!.AttributeName;
      return new Set(complaints.map((complaint) => complaint[partitionKey])).size === 1;
    });
    expect(constant).toEqual([]);
  });
});

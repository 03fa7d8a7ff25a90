import type { AttributeValue } from '@aws-sdk/client-dynamodb';

// Write capacity units as DynamoDB bills them, counted from item sizes (dynalite reports the table's units
// but not the indexes'): 1 unit per started KB of the larger of the item before and after, for the table
// and for each global secondary index the write touches. A transaction writes its table items twice (the
// prepare and the commit), so 2 units per KB there; the indexes are updated by DynamoDB's own propagation,
// as for any write, at 1 unit per KB. See "Item sizes and formats", "Capacity unit consumption for writes"
// and "Capacity management for transactions" in the DynamoDB developer guide.

type Item = Record<string, AttributeValue>;

export interface IndexShape {
  name: string;
  keys: string[];
  /** ALL, KEYS_ONLY, or the INCLUDE list. */
  projection: 'ALL' | 'KEYS_ONLY' | string[];
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-/, '').replace(/^0+/, '').replace('.', '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
  if (value.NS) return value.NS.reduce((sum, entry) => sum + valueSize({ N: entry }), 0);
  if (value.L) return 3 + value.L.reduce((sum, entry) => sum + 1 + valueSize(entry), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, entry]) => sum + 1 + Buffer.byteLength(name) + valueSize(entry), 0);
  return 0;
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

function projected(item: Item, index: IndexShape, tableKeys: string[]): Item | undefined {
  if (!index.keys.every((key) => item[key] !== undefined)) return undefined;
  if (index.projection === 'ALL') return item;
  const names = new Set([...tableKeys, ...index.keys, ...(index.projection === 'KEYS_ONLY' ? [] : index.projection)]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}

/** Units one write of `before` → `after` (undefined: absent) consumes, per table and per index. */
export function writeUnits(before: Item | undefined, after: Item | undefined, tableKeys: string[], indexes: IndexShape[], transactional: boolean) {
  const factor = transactional ? 2 : 1;
  const table = factor * units(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0));
  let index = 0;
  const byIndex: Record<string, number> = {};
  for (const shape of indexes) {
    const old = before && projected(before, shape, tableKeys);
    const now = after && projected(after, shape, tableKeys);
    if (!old && !now) continue;
    const sameKeys = old && now && shape.keys.every((key) => JSON.stringify(old[key]) === JSON.stringify(now[key]));
    if (old && now && JSON.stringify(old) === JSON.stringify(now)) continue; // nothing the index holds changed
    // A changed index key is a delete of the old index item and a put of the new one.
    const consumed = sameKeys ? units(Math.max(itemSize(old), itemSize(now))) : (old ? units(itemSize(old)) : 0) + (now ? units(itemSize(now)) : 0);
    byIndex[shape.name] = consumed;
    index += consumed;
  }
  return { table, index, byIndex };
}

import { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { DrizzleInventoryRepository } from './drizzle-inventory.repository';

/**
 * The SQL the repository's query-builder methods send, kept in __snapshots__ so a reviewer reads the
 * statements and a change to them shows up in the diff. No database: a stand-in client records each
 * statement and answers with no rows (and a count of 0).
 */
function recordingRepository() {
  const sent: string[] = [];
  const client = {
    query: async (config: string | { text: string; name?: string }, params: unknown[] = []) => {
      const { text, name } = typeof config === 'string' ? { text: config, name: undefined } : config;
      sent.push([name ? `-- prepared as ${name}` : null, text, `-- params: ${JSON.stringify(params)}`].filter(Boolean).join('\n'));
      return { rows: text.startsWith('select count(*)') ? [{ count: '0' }] : [], fields: [], rowCount: 0 };
    },
  };
  const db = drizzle(client as never);
  const rows = async (query: SQL) => ((await db.execute(query)) as unknown as { rows: unknown[] }).rows;
  // The recorded statements of a transaction are its statements in order (BEGIN/COMMIT are not recorded).
  const handle = {
    db,
    rows,
    transaction: (work: (send: typeof rows) => Promise<unknown>) => work(rows),
  } as unknown as ConstructorParameters<typeof DrizzleInventoryRepository>[0];
  return { repository: new DrizzleInventoryRepository(handle), sent: () => sent.join('\n\n') };
}

describe('DrizzleInventoryRepository SQL', () => {
  it.each([
    ['a text column, descending', { sortBy: 'productName', sortOrder: 'desc', limit: 20, offset: 40 }],
    ['a number column, ascending', { sortBy: 'availableQuantity', sortOrder: 'asc', limit: 10, offset: 0 }],
  ] as const)('findPage sorted by %s', async (_label, query) => {
    const { repository, sent } = recordingRepository();
    await expect(repository.findPage(query)).resolves.toEqual({ items: [], total: 0 });
    expect(sent()).toMatchSnapshot();
  });

  it.each([
    ['every field', { productName: 'Renamed', totalQuantity: 50, availableQuantity: 40 }],
    ['the name only', { productName: 'Renamed' }],
  ])('updateIfRulesHold changing %s, then reading the row when nothing matched', async (_label, changes) => {
    const { repository, sent } = recordingRepository();
    await expect(repository.updateIfRulesHold('SKU-1', changes, new Date('2026-01-01T00:00:00Z'))).resolves.toEqual({
      status: 'not_found',
    });
    expect(sent()).toMatchSnapshot();
  });
});

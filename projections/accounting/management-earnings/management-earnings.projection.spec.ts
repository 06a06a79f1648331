import type { Knex } from 'knex';
import { createKnex, physicalTable, type Recorded } from '@app/core';
import type { AccountCredited, AccountDebited } from '@app/accounting/contract';
import { projectionContext } from '../../../test/support/projection-context';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { managementEarningsProjection } from './management-earnings.projection';
import { managementEarningsQueries } from './management-earnings.queries';

type Transaction = AccountDebited | AccountCredited;

let n = 0;
function transaction(type: Transaction['type'], date: string, amount: number): Recorded<Transaction> {
  n++;
  const id = `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
  const data = { transactionId: `tx-${n}`, userId: '00000000-0000-4000-8000-00000000a001', date, amount, taskId: id, taskTitle: 't', description: 'd', at: `${date}T10:00:00.000Z` };
  return { id, type, data, metadata: {}, streamName: 'account', revision: 0n, position: String(n).padStart(20, '0'), recordedAt: new Date(0) } as Recorded<Transaction>;
}

describe('management earnings read model', () => {
  let database: TestDatabase;
  let knex: Knex;
  const queries = () => managementEarningsQueries.bind({ knex, table: (name) => knex(physicalTable(name, 1)) as never });

  beforeAll(async () => {
    database = await createTestDatabase('management_earnings_projection');
    knex = createKnex(database.url, 2);
    for (const [table, columns] of Object.entries(managementEarningsProjection.tables)) await knex.schema.createTable(physicalTable(table, 1), columns);
    const events = [
      transaction('AccountDebited', '2026-11-02', 15),
      transaction('AccountDebited', '2026-11-02', 12),
      transaction('AccountCredited', '2026-11-02', 30),
      transaction('AccountCredited', '2026-11-03', 20),
    ];
    await knex.transaction((trx) => managementEarningsProjection.apply(events.slice(0, 2), projectionContext(trx, 1)));
    await knex.transaction((trx) => managementEarningsProjection.apply(events.slice(2), projectionContext(trx, 1)));
  });

  afterAll(async () => {
    await knex.destroy();
    await database.drop();
  });

  it('reads the debits and credits only', () => {
    expect(managementEarningsProjection.eventTypes).toEqual(['AccountDebited', 'AccountCredited']);
  });

  it('answers a day’s fees, rewards and earnings (fees minus rewards), zeros for a day without any', async () => {
    expect(await queries().on('2026-11-02')).toEqual({ fees: 27, rewards: 30, earnings: -3 });
    expect(await queries().on('2026-11-03')).toEqual({ fees: 0, rewards: 20, earnings: -20 });
    expect(await queries().on('2026-11-04')).toEqual({ fees: 0, rewards: 0, earnings: 0 });
  });
});

import type { Knex } from 'knex';
import { createKnex, physicalTable, type ProjectionDefinition } from '@app/core';
import type { RecordedEvent } from '@app/eventstore';
import { accountsProjection } from '@app/projections/accounting/accounts/accounts.projection';
import { managementEarningsProjection } from '@app/projections/accounting/management-earnings/management-earnings.projection';
import { mostExpensiveTasksProjection } from '@app/projections/analytics/most-expensive-tasks/most-expensive-tasks.projection';
import { projectionContext } from './support/projection-context';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The accounting read models apply a batch in a few multi-row statements (their rebuild speed
 * depends on it). A batch must leave exactly the rows its events leave applied one by one.
 */
const ANN = '00000000-0000-4000-8000-00000000a001';
const BOB = '00000000-0000-4000-8000-00000000b001';
const task = (n: number) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;

let n = 0;
function event(type: string, data: Record<string, unknown>): RecordedEvent {
  n++;
  const id = `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
  return { id, type, data, metadata: {}, streamName: 'account', revision: 0n, position: String(n).padStart(20, '0'), recordedAt: new Date(0) };
}
const transaction = (type: 'AccountDebited' | 'AccountCredited', userId: string, date: string, t: number, amount: number, at = `${date}T10:00:00.000Z`) =>
  event(type, { transactionId: `tx-${n}`, userId, date, amount, taskId: task(t), taskTitle: `Task ${t}`, description: `About task ${t}`, at });

const script: RecordedEvent[] = [
  transaction('AccountDebited', ANN, '2026-11-02', 1, 15),
  transaction('AccountDebited', BOB, '2026-11-02', 2, 12),
  transaction('AccountCredited', ANN, '2026-11-02', 1, 30),
  transaction('AccountCredited', BOB, '2026-11-03', 2, 30), // ties with task 1 for the week and month: the first stays
  transaction('AccountDebited', BOB, '2026-11-03', 3, 20),
  event('PayoutMade', { payoutId: 'p1', userId: ANN, date: '2026-11-02', amount: 15, at: '2026-11-03T00:00:00.000Z' }),
  event('AccountDayClosed', { userId: ANN, date: '2026-11-02', closedAt: '2026-11-03T00:00:00.000Z', closingBalance: 0 }),
  event('BalanceCarriedIn', { userId: BOB, date: '2026-11-04', fromDate: '2026-11-03', amount: -2 }),
  transaction('AccountDebited', BOB, '2026-11-01', 4, 11), // a day before everything else: every later day moves
  transaction('AccountCredited', ANN, '2026-11-09', 5, 38),
  transaction('AccountCredited', BOB, '2026-11-04', 6, 39),
];

describe('accounting read models applied in batches', () => {
  let database: TestDatabase;
  let knex: Knex;
  const projections: ProjectionDefinition[] = [accountsProjection, managementEarningsProjection, mostExpensiveTasksProjection];

  beforeAll(async () => {
    database = await createTestDatabase('accounting_batches');
    knex = createKnex(database.url, 2);
    for (const projection of projections) {
      for (const [table, columns] of Object.entries(projection.tables)) {
        for (const generation of [1, 2]) await knex.schema.createTable(physicalTable(table, generation), columns);
      }
    }
  });

  afterAll(async () => {
    await knex.destroy();
    await database.drop();
  });

  const rows = (table: string, generation: number) =>
    knex(physicalTable(table, generation)).select('*').orderByRaw('1, 2');

  it('leave the same rows as the events applied one by one', async () => {
    for (const projection of projections) {
      const handled = script.filter((e) => projection.eventTypes.includes(e.type));
      // Two batches, split where it cuts a day's work in half.
      for (const batch of [handled.slice(0, 3), handled.slice(3)]) {
        await knex.transaction((trx) => projection.apply(batch, projectionContext(trx, 1)));
      }
      for (const one of handled) await knex.transaction((trx) => projection.apply([one], projectionContext(trx, 2)));
      for (const table of Object.keys(projection.tables)) expect(await rows(table, 1)).toEqual(await rows(table, 2));
    }

    // And those rows are the hand-computed ones.
    const balances = Object.fromEntries((await rows('account_balances', 1)).map((r) => [r.user_id, Number(r.balance)]));
    expect(balances).toEqual({ [ANN]: 30 - 15 - 15 + 38, [BOB]: -12 + 30 - 20 - 11 + 39 });
    const daily = (await rows('daily_balances', 1)).filter((r) => r.user_id === BOB).map((r) => [r.date, Number(r.balance)]);
    expect(daily).toEqual([
      ['2026-11-01', -11],
      ['2026-11-02', -23],
      ['2026-11-03', -13],
      ['2026-11-04', 26],
    ]);
    const days = (await rows('account_days', 1)).map((r) => [r.user_id === ANN ? 'ann' : 'bob', r.date, r.closed]);
    expect(days).toEqual([
      ['ann', '2026-11-02', true],
      ['ann', '2026-11-09', false],
      ['bob', '2026-11-01', false],
      ['bob', '2026-11-02', false],
      ['bob', '2026-11-03', false],
      ['bob', '2026-11-04', false],
    ]);
    // 9 transactions and payouts, and the balance carried into a day as its own entry.
    expect(await rows('account_audit_log', 1)).toHaveLength(10);
    const earnings = (await rows('management_earnings', 1)).map((r) => [r.date, Number(r.fees), Number(r.rewards)]);
    expect(earnings).toEqual([
      ['2026-11-01', 11, 0],
      ['2026-11-02', 27, 30],
      ['2026-11-03', 20, 30],
      ['2026-11-04', 0, 39],
      ['2026-11-09', 0, 38],
    ]);
    const best = Object.fromEntries((await rows('most_expensive_tasks', 1)).map((r) => [`${r.period} ${r.period_start}`, r.task_id]));
    expect(best).toEqual({
      'day 2026-11-02': task(1),
      'day 2026-11-03': task(2),
      'day 2026-11-04': task(6),
      'day 2026-11-09': task(5),
      'week 2026-11-02': task(6),
      'week 2026-11-09': task(5),
      'month 2026-11-01': task(6),
    });
  });

  it('leave the same daily balances as one by one for postings to any days in any order, however the batches are cut', async () => {
    // A small deterministic generator: the same cases on every run.
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const users = [ANN, BOB, '00000000-0000-4000-8000-00000000c001'];
    const dates = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-05', '2026-11-08'];
    const accounts: ProjectionDefinition = accountsProjection;
    for (let round = 0; round < 5; round++) {
      const generation = 10 + round * 2;
      for (const g of [generation, generation + 1]) {
        await knex.schema.createTable(physicalTable('daily_balances', g), accountsProjection.tables.daily_balances);
        for (const table of ['account_balances', 'account_days', 'account_audit_log'] as const) {
          await knex.schema.createTable(physicalTable(table, g), accountsProjection.tables[table]);
        }
      }
      const log = Array.from({ length: 40 }, (_, i) =>
        transaction(random(2) === 0 ? 'AccountDebited' : 'AccountCredited', users[random(users.length)], dates[random(dates.length)], i % 90, 1 + random(40)),
      );
      for (let from = 0; from < log.length; ) {
        const size = 1 + random(15);
        await knex.transaction((trx) => accounts.apply(log.slice(from, from + size), projectionContext(trx, generation)));
        from += size;
      }
      for (const one of log) await knex.transaction((trx) => accounts.apply([one], projectionContext(trx, generation + 1)));
      expect(await rows('daily_balances', generation)).toEqual(await rows('daily_balances', generation + 1));
      // And each is the running total of the postings of its day and every earlier one.
      for (const row of await rows('daily_balances', generation)) {
        const expected = log
          .filter((e) => (e.data as { userId: string }).userId === row.user_id && (e.data as { date: string }).date <= row.date)
          .reduce((sum, e) => sum + (e.type === 'AccountCredited' ? 1 : -1) * (e.data as { amount: number }).amount, 0);
        expect([row.user_id, row.date, Number(row.balance)]).toEqual([row.user_id, row.date, expected]);
      }
    }
  });
});

import { defineProjection } from '@app/core';
import type { AccountCredited, AccountDebited } from '@app/accounting/contract';

/** A row of `management_earnings`: per billing day, the fees debited and the rewards credited. */
export interface ManagementEarningsRow {
  date: string;
  fees: string;
  rewards: string;
}

/**
 * The management's earnings per billing day: fees taken minus rewards paid (the query subtracts).
 * A batch adds up its amounts per day in memory and writes them with one multi-row upsert, the
 * same sums as adding event by event.
 */
export const managementEarningsProjection = defineProjection<AccountDebited | AccountCredited, 'management_earnings'>({
  name: 'management_earnings',
  version: 1,
  tables: {
    management_earnings: (t) => {
      t.text('date').primary();
      t.bigInteger('fees').notNullable().defaultTo(0);
      t.bigInteger('rewards').notNullable().defaultTo(0);
    },
  },
  eventTypes: ['AccountDebited', 'AccountCredited'],
  apply: async (events, { trx, tableName }) => {
    const days = new Map<string, { date: string; fees: number; rewards: number }>();
    for (const event of events) {
      const { date, amount } = event.data;
      const day = days.get(date) ?? { date, fees: 0, rewards: 0 };
      switch (event.type) {
        case 'AccountDebited':
          day.fees += amount;
          break;
        case 'AccountCredited':
          day.rewards += amount;
          break;
      }
      days.set(date, day);
    }
    if (days.size === 0) return;
    const table = tableName('management_earnings');
    await trx(table)
      .insert([...days.values()])
      .onConflict('date')
      .merge({
        fees: trx.raw('?? + excluded.fees', [`${table}.fees`]),
        rewards: trx.raw('?? + excluded.rewards', [`${table}.rewards`]),
      });
  },
});

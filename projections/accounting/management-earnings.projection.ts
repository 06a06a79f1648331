import { defineProjection } from '@app/core';
import type { AccountCredited, AccountDebited } from '@app/accounting/domain/accounting.events';

export const MANAGEMENT_EARNINGS_PROJECTION = 'management_earnings';

/** A row of `management_earnings`: per billing day, the fees debited and the rewards credited. */
export interface ManagementEarningsRow {
  date: string;
  fees: string;
  rewards: string;
}

/** The management's earnings per billing day: fees taken minus rewards paid (the query subtracts). */
export const managementEarningsProjection = defineProjection({
  name: MANAGEMENT_EARNINGS_PROJECTION,
  version: 1,
  tables: {
    management_earnings: (t) => {
      t.text('date').primary();
      t.bigInteger('fees').notNullable().defaultTo(0);
      t.bigInteger('rewards').notNullable().defaultTo(0);
    },
  },
  handlers: {
    AccountDebited: async (event, { table }) => {
      const { date, amount } = event.data as AccountDebited['data'];
      await table('management_earnings').insert({ date, fees: 0, rewards: 0 }).onConflict('date').ignore();
      await table('management_earnings').where({ date }).increment('fees', amount);
    },
    AccountCredited: async (event, { table }) => {
      const { date, amount } = event.data as AccountCredited['data'];
      await table('management_earnings').insert({ date, fees: 0, rewards: 0 }).onConflict('date').ignore();
      await table('management_earnings').where({ date }).increment('rewards', amount);
    },
  },
});

import type { Knex } from 'knex';
import { type BatchApplyFunction, defineProjection } from '@app/core';
import type { AccountCredited, AccountDebited } from '@app/accounting/domain/accounting.events';

export const MANAGEMENT_EARNINGS_PROJECTION = 'management_earnings';

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
const applyBatch: BatchApplyFunction = async (events, { trx, tableName }) => {
  const days = new Map<string, { date: string; fees: number; rewards: number }>();
  for (const event of events) {
    const { date, amount } = event.data as AccountDebited['data'] | AccountCredited['data'];
    const day = days.get(date) ?? { date, fees: 0, rewards: 0 };
    if (event.type === 'AccountDebited') day.fees += amount;
    else day.rewards += amount;
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
};

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
    AccountDebited: (event, context) => applyBatch([event], context),
    AccountCredited: (event, context) => applyBatch([event], context),
  },
  applyBatch,
});

/** The management's fees, rewards and earnings (fees minus rewards) on one billing day, from this read model. */
export async function managementEarningsOn(knex: Knex, date: string): Promise<{ fees: number; rewards: number; earnings: number }> {
  const row = await knex<ManagementEarningsRow>('management_earnings').where({ date }).first();
  const fees = Number(row?.fees ?? 0);
  const rewards = Number(row?.rewards ?? 0);
  return { fees, rewards, earnings: fees - rewards };
}

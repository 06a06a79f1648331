import type { Knex } from 'knex';
import { defineProjection, type ProjectionContext } from '@app/core';
import type {
  AccountCredited,
  AccountDayClosed,
  AccountDebited,
  BalanceCarriedIn,
  PayoutMade,
} from '@app/accounting/domain/accounting.events';

export const ACCOUNTS_PROJECTION = 'accounts';

export type EntryKind = 'debit' | 'credit' | 'payout';

/** A row of `account_audit_log`: one debit, credit or payout, under the billing day it belongs to. */
export interface AuditLogRow {
  entry_id: string;
  user_id: string;
  date: string;
  at: Date;
  kind: EntryKind;
  amount: string;
  task_id: string | null;
  task_title: string | null;
  description: string;
  position: string;
}

/** A row of `account_days`: one worker's account for one billing day, and whether it is closed. */
export interface AccountDayRow {
  user_id: string;
  date: string;
  closed: boolean;
}

/**
 * Each worker's balance, account days and audit log, from the account events only. Amounts are
 * whole numbers in bigint columns. `daily_balances` holds each worker's balance at the end of
 * each day on which it changed (payouts included), so "negative on a date" is one lookup; an entry
 * for an earlier day updates that day and every later one.
 */
export const accountsProjection = defineProjection({
  name: ACCOUNTS_PROJECTION,
  version: 1,
  tables: {
    account_balances: (t) => {
      t.uuid('user_id').primary();
      t.bigInteger('balance').notNullable();
    },
    account_days: (t) => {
      t.uuid('user_id').notNullable();
      t.text('date').notNullable();
      t.boolean('closed').notNullable().defaultTo(false);
      t.primary(['user_id', 'date']);
      t.index(['closed', 'date']);
    },
    account_audit_log: (t) => {
      t.uuid('entry_id').primary();
      t.uuid('user_id').notNullable();
      t.text('date').notNullable();
      t.timestamp('at', { useTz: true }).notNullable();
      t.text('kind').notNullable();
      t.bigInteger('amount').notNullable();
      t.uuid('task_id');
      t.text('task_title');
      t.text('description').notNullable();
      t.text('position').notNullable();
      t.index(['user_id', 'date', 'position']);
    },
    daily_balances: (t) => {
      t.uuid('user_id').notNullable();
      t.text('date').notNullable();
      t.bigInteger('balance').notNullable();
      t.primary(['user_id', 'date']);
      t.index(['date']);
    },
  },
  handlers: {
    AccountDebited: async (event, context) => {
      const data = event.data as AccountDebited['data'];
      await entry(context, event.id, event.position, data.userId, data.date, data.at, 'debit', data.amount, data, -data.amount);
    },
    AccountCredited: async (event, context) => {
      const data = event.data as AccountCredited['data'];
      await entry(context, event.id, event.position, data.userId, data.date, data.at, 'credit', data.amount, data, data.amount);
    },
    PayoutMade: async (event, context) => {
      const { userId, date, amount, at } = event.data as PayoutMade['data'];
      const task = { taskId: null, taskTitle: null, description: `Payout of the balance of ${date}` };
      await entry(context, event.id, event.position, userId, date, at, 'payout', amount, task, -amount);
    },
    BalanceCarriedIn: async (event, { table }) => {
      const { userId, date } = event.data as BalanceCarriedIn['data'];
      await table('account_days').insert({ user_id: userId, date }).onConflict(['user_id', 'date']).ignore();
    },
    AccountDayClosed: async (event, { table }) => {
      const { userId, date } = event.data as AccountDayClosed['data'];
      await table('account_days').insert({ user_id: userId, date, closed: true }).onConflict(['user_id', 'date']).merge(['closed']);
    },
  },
});

async function entry(
  { table, tableName, trx }: ProjectionContext,
  entryId: string,
  position: string,
  userId: string,
  date: string,
  at: string,
  kind: EntryKind,
  amount: number,
  task: { taskId: string | null; taskTitle: string | null; description: string },
  delta: number,
): Promise<void> {
  await table('account_days').insert({ user_id: userId, date }).onConflict(['user_id', 'date']).ignore();
  await table('account_audit_log').insert({
    entry_id: entryId,
    user_id: userId,
    date,
    at,
    kind,
    amount,
    task_id: task.taskId,
    task_title: task.taskTitle,
    description: task.description,
    position,
  });
  await table('account_balances')
    .insert({ user_id: userId, balance: delta })
    .onConflict('user_id')
    .merge({ balance: trx.raw('?? + excluded.balance', [`${tableName('account_balances')}.balance`]) });
  await moveDailyBalances(trx, tableName('daily_balances'), userId, date, delta);
}

/** The day's row starts from the balance the worker ended the previous recorded day with. */
async function moveDailyBalances(trx: Knex.Transaction, daily: string, userId: string, date: string, delta: number): Promise<void> {
  await trx.raw(
    `insert into ?? (user_id, date, balance)
     select ?, ?, coalesce((select balance from ?? where user_id = ? and date < ? order by date desc limit 1), 0)
     on conflict (user_id, date) do nothing`,
    [daily, userId, date, daily, userId, date],
  );
  await trx(daily).where({ user_id: userId }).andWhere('date', '>=', date).increment('balance', delta);
}

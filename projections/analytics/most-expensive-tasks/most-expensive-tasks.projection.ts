import { defineProjection } from '@app/core';
import { isoWeekOf, monthOf, utcDateOf } from '@app/core/domain';
import type { AccountCredited } from '@app/accounting/contract';

export type Period = 'day' | 'week' | 'month';

/** A row of `most_expensive_tasks`: the task with the highest reward completed in one period. */
export interface MostExpensiveTaskRow {
  period: Period;
  /** First day of the period: the day itself, the Monday of the ISO week, the 1st of the month. */
  period_start: string;
  period_end: string;
  task_id: string;
  title: string;
  reward: string;
  completed_at: Date;
}

/**
 * The most expensive task of every day, ISO week and calendar month: the highest reward among the
 * tasks completed in it, from the credit paid for each (which carries the task, the reward and the
 * completion time). A period's row is replaced only by a strictly higher reward, so of equal
 * rewards the first completed (in log order) stays, the same on every replay. A batch keeps each
 * period's best candidate by the same rule in memory and offers them in one multi-row upsert.
 */
export const mostExpensiveTasksProjection = defineProjection<AccountCredited, 'most_expensive_tasks'>({
  name: 'most_expensive_tasks',
  version: 1,
  tables: {
    most_expensive_tasks: (t) => {
      t.text('period').notNullable();
      t.text('period_start').notNullable();
      t.text('period_end').notNullable();
      t.uuid('task_id').notNullable();
      t.text('title').notNullable();
      t.bigInteger('reward').notNullable();
      t.timestamp('completed_at', { useTz: true }).notNullable();
      t.primary(['period', 'period_start']);
    },
  },
  eventTypes: ['AccountCredited'],
  apply: async (events, { trx, tableName }) => {
    const best = new Map<string, { period: Period; period_start: string; period_end: string; task_id: string; title: string; reward: number; completed_at: string }>();
    for (const event of events) {
      const { taskId, taskTitle, amount, at } = event.data;
      const day = utcDateOf(at);
      const periods: Array<[Period, { from: string; to: string }]> = [
        ['day', { from: day, to: day }],
        ['week', isoWeekOf(day)],
        ['month', monthOf(day)],
      ];
      for (const [period, { from, to }] of periods) {
        const key = `${period} ${from}`;
        const current = best.get(key);
        if (current && current.reward >= amount) continue;
        best.set(key, { period, period_start: from, period_end: to, task_id: taskId, title: taskTitle, reward: amount, completed_at: at });
      }
    }
    if (best.size === 0) return;
    const table = tableName('most_expensive_tasks');
    await trx(table)
      .insert([...best.values()])
      .onConflict(['period', 'period_start'])
      .merge(['task_id', 'title', 'reward', 'completed_at'])
      .where(`${table}.reward`, '<', trx.raw('excluded.reward'));
  },
});

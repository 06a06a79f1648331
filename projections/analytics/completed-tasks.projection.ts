import { defineProjection, utcDateOf } from '@app/core';
import type { AccountCredited } from '@app/accounting/domain/accounting.events';

export const COMPLETED_TASKS_PROJECTION = 'completed_task_rewards';

/** A row of `completed_task_rewards`: a completed task with the reward paid for it. */
export interface CompletedTaskRow {
  task_id: string;
  title: string;
  reward: string;
  completed_at: Date;
  completed_date: string;
  position: string;
}

/**
 * Every completed task with its reward, from the credit paid for it (which carries the task, the
 * reward and the completion time), for "the most expensive task" of a day, a week or a month.
 * The completion date is the UTC date of the completion time recorded in the event.
 */
export const completedTasksProjection = defineProjection({
  name: COMPLETED_TASKS_PROJECTION,
  version: 1,
  tables: {
    completed_task_rewards: (t) => {
      t.uuid('task_id').primary();
      t.text('title').notNullable();
      t.bigInteger('reward').notNullable();
      t.timestamp('completed_at', { useTz: true }).notNullable();
      t.text('completed_date').notNullable();
      t.text('position').notNullable();
      t.index(['completed_date', 'reward']);
    },
  },
  handlers: {
    AccountCredited: async (event, { table }) => {
      const { taskId, taskTitle, amount, at } = event.data as AccountCredited['data'];
      await table('completed_task_rewards')
        .insert({ task_id: taskId, title: taskTitle, reward: amount, completed_at: at, completed_date: utcDateOf(at), position: event.position })
        .onConflict('task_id')
        .ignore();
    },
  },
});

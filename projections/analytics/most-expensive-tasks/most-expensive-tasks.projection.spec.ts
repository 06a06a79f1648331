import type { AccountCredited } from '@app/accounting/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { mostExpensiveTasksProjection } from './most-expensive-tasks.projection';
import { mostExpensiveTasksQueries } from './most-expensive-tasks.queries';

const task = (t: number) => `00000000-0000-4000-8000-0000000000${String(t).padStart(2, '0')}`;

const recorded = recorder<AccountCredited>(() => 'account');
const credit = (t: number, amount: number, at: string) =>
  recorded('AccountCredited', { transactionId: `tx-${t}`, userId: '00000000-0000-4000-8000-00000000a001', date: at.slice(0, 10), amount, taskId: task(t), taskTitle: `Task ${t}`, description: 'd', at });

const events = [
  credit(1, 30, '2026-11-02T10:00:00.000Z'), // Monday
  credit(2, 30, '2026-11-03T10:00:00.000Z'), // ties task 1 for the week and month: the first stays
  credit(3, 25, '2026-11-03T11:00:00.000Z'),
  credit(4, 39, '2026-11-30T09:00:00.000Z'), // the month's best, in another week
];

describe('most expensive tasks read model', () => {
  const readModel = readModelUnderTest(mostExpensiveTasksProjection, { batches: [events.slice(0, 2), events.slice(2)] });
  const queries = () => readModel.queries(mostExpensiveTasksQueries);

  it('keeps the highest reward of each day, ISO week and month, the first of equal ones', async () => {
    const best = async (period: 'day' | 'week' | 'month', start: string) => (await queries().of(period, start))?.task_id;
    expect(await best('day', '2026-11-02')).toBe(task(1));
    expect(await best('day', '2026-11-03')).toBe(task(2));
    expect(await best('week', '2026-11-02')).toBe(task(1));
    expect(await best('week', '2026-11-30')).toBe(task(4));
    expect(await best('month', '2026-11-01')).toBe(task(4));
    expect(await queries().of('day', '2026-11-04')).toBeUndefined();
  });

  it('answers the task with its title, reward and completion time, and the period’s end', async () => {
    const row = await queries().of('week', '2026-11-02');
    expect(row).toMatchObject({ period_end: '2026-11-08', title: 'Task 1', reward: '30' });
    expect(row?.completed_at.toISOString()).toBe('2026-11-02T10:00:00.000Z');
  });
});

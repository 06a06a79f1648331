import { randomUUID } from 'node:crypto';
import type { AccountEvent, PricingEvent } from '@app/accounting/contract';
import { deterministicId } from '@app/core';
import { isoWeekOf, monthOf, utcDateOf } from '@app/core/domain';
import type { UserRegistered, UserRoleChanged } from '@app/identity/contract';
import type { ReshuffleEvent, TaskEvent } from '@app/tasks/contract';
// The seed writes each context's streams directly, as their deciders name them.
import { accountStream } from '../libs/accounting/src/domain/account.decider';
import { taskPricingStream } from '../libs/accounting/src/domain/task-pricing.decider';
import { userStream } from '../libs/identity/src/domain/user.decider';
import { reshuffleStream } from '../libs/tasks/src/domain/reshuffle.decider';
import { taskStream } from '../libs/tasks/src/domain/task.decider';

type SeedEvent = UserRegistered | UserRoleChanged | TaskEvent | ReshuffleEvent | PricingEvent | AccountEvent;

export interface SeedStream {
  name: string;
  events: SeedEvent[];
}

/** What the rebuild benchmark writes: streams by index, and the rows each read model must end up with. */
export interface SeedPlan {
  /** Events in all the plan's streams (at most the number asked for). */
  events: number;
  adminId: string;
  stream(index: number): SeedStream | undefined;
  expectedRows(projection: string): Record<string, number>;
}

const WORKERS = 100;
/** Every this many workers, one was promoted to manager after registering. */
const PROMOTED_EVERY = 10;
const TASKS_PER_RESHUFFLE = 10_000;
/** Seconds between two tasks' creation: the seeded tasks spread over a few weeks. */
const TASK_EVERY_SECONDS = 10;
const DAY_SECONDS = 86_400;

/**
 * The platform's contexts as they look after a while in production: users with a few role
 * changes, and tasks that were created, assigned, and then either completed or reassigned by one
 * of the reshuffles. Every task stream holds three events. Ids are random; times step through
 * the last year so the read models store varied values.
 *
 * Accounting follows in the proportions the product writes it: each task's price in its own
 * stream, and on each worker's account for the day a debit per assignment and a credit per
 * completion (a task's transactions are dated the day it was created). Every task therefore
 * brings six events. The projections come from apps/contexts.ts; the benchmark rebuilds them
 * one by one and checks the rows below.
 */
export function seedPlan(events: number): SeedPlan {
  const admin = randomUUID();
  const workers = Array.from({ length: WORKERS }, () => randomUUID());
  const userEvents = 1 + WORKERS + Math.floor(WORKERS / PROMOTED_EVERY);
  const reshuffles = Math.max(1, Math.floor(events / (3 * TASKS_PER_RESHUFFLE)));
  const reshuffleIds = Array.from({ length: reshuffles }, () => randomUUID());
  const tasks = Math.max(0, Math.floor((events - userEvents - 2 * reshuffles) / 6));
  const users = 1 + WORKERS;
  const epoch = Date.UTC(2025, 10, 23);
  const at = (i: number) => new Date(epoch + i * 1000).toISOString();
  const seedId = randomUUID();
  const taskIdOf = (t: number) => deterministicId(seedId, `task-${t}`);
  const createdAt = (t: number) => at(t * TASK_EVERY_SECONDS);
  const days = Math.ceil((tasks * TASK_EVERY_SECONDS) / DAY_SECONDS);
  const fee = (t: number) => 10 + (t % 11);
  const reward = (t: number) => 20 + ((t * 7) % 21);
  const userStreams = (i: number): SeedStream => {
    const userId = i === 0 ? admin : workers[i - 1];
    const role = i === 0 ? 'admin' : 'worker';
    const registered: UserRegistered = {
      type: 'UserRegistered',
      data: { userId, name: `User ${i}`, email: `user-${i}@example.com`, role, beakHash: 'scrypt$1024$8$1$c2VlZA$c2VlZA', registeredAt: at(i) },
    };
    const events: SeedEvent[] = [registered];
    if (i > 0 && i % PROMOTED_EVERY === 0) {
      events.push({ type: 'UserRoleChanged', data: { userId, role: 'manager', previousRole: 'worker', changedAt: at(i + 1) } });
    }
    return { name: userStream(userId), events };
  };
  const reshuffleStreams = (r: number): SeedStream => {
    const reshuffleId = reshuffleIds[r];
    return {
      name: reshuffleStream(reshuffleId),
      events: [
        { type: 'TaskReshuffleStarted', data: { reshuffleId, startedBy: admin, startedAt: at(r * TASKS_PER_RESHUFFLE) } },
        { type: 'TaskReshuffleFinished', data: { reshuffleId, reassigned: TASKS_PER_RESHUFFLE / 2, finishedAt: at(r * TASKS_PER_RESHUFFLE + 60) } },
      ],
    };
  };
  const taskStreams = (t: number): SeedStream => {
    const taskId = taskIdOf(t);
    const assigneeId = workers[t % WORKERS];
    const time = t * TASK_EVERY_SECONDS;
    const events: TaskEvent[] = [
      { type: 'TaskCreated', data: { taskId, title: `Task ${t}`, jiraId: t % 3 === 0 ? `POPUG-${t}` : null, description: `Seeded task number ${t}`, createdAt: createdAt(t) } },
      { type: 'TaskAssigned', data: { taskId, assigneeId, previousAssigneeId: null, reshuffleId: null, assignedAt: at(time) } },
      t % 2 === 0
        ? { type: 'TaskCompleted', data: { taskId, completedBy: assigneeId, completedAt: at(time + 5) } }
        : {
            type: 'TaskAssigned',
            data: { taskId, assigneeId: workers[(t + 1) % WORKERS], previousAssigneeId: assigneeId, reshuffleId: reshuffleIds[t % reshuffles], assignedAt: at(time + 5) },
          },
    ];
    return { name: taskStream(taskId), events };
  };
  const pricingStreams = (t: number): SeedStream => {
    const taskId = taskIdOf(t);
    const priced: PricingEvent = {
      type: 'TaskPriced',
      data: { taskId, title: `Task ${t}`, description: `Seeded task number ${t}`, assignmentFee: fee(t), completionReward: reward(t), pricedAt: createdAt(t) },
    };
    return { name: taskPricingStream(taskId), events: [priced] };
  };
  /** Worker w's account on day d: the fee of each task assigned to w that day, the reward of each w completed. */
  const accountStreams = (index: number): SeedStream => {
    const w = index % WORKERS;
    const d = Math.floor(index / WORKERS);
    const userId = workers[w];
    const date = utcDateOf(at(d * DAY_SECONDS));
    const transaction = (type: 'AccountDebited' | 'AccountCredited', t: number, amount: number, purpose: string): AccountEvent => ({
      type,
      data: { transactionId: deterministicId(taskIdOf(t), purpose), userId, date, amount, taskId: taskIdOf(t), taskTitle: `Task ${t}`, description: `Seeded task number ${t}`, at: createdAt(t) },
    });
    const events: AccountEvent[] = [];
    const first = Math.ceil((d * DAY_SECONDS) / TASK_EVERY_SECONDS);
    const end = Math.min(tasks, Math.ceil(((d + 1) * DAY_SECONDS) / TASK_EVERY_SECONDS));
    for (let t = first; t < end; t++) {
      if (t % WORKERS === w) {
        events.push(transaction('AccountDebited', t, fee(t), 'debit'));
        if (t % 2 === 0) events.push(transaction('AccountCredited', t, reward(t), 'credit'));
      } else if (t % 2 === 1 && (t + 1) % WORKERS === w) {
        events.push(transaction('AccountDebited', t, fee(t), 'reassigned'));
      }
    }
    return { name: accountStream(userId, date), events };
  };
  // Read model rows the accounting projections must end up with.
  const accountDays = new Set<string>();
  const periods = new Set<string>();
  for (let t = 0; t < tasks; t++) {
    const date = utcDateOf(createdAt(t));
    accountDays.add(`${t % WORKERS} ${date}`);
    if (t % 2 === 1) accountDays.add(`${(t + 1) % WORKERS} ${date}`);
    else periods.add(`day ${date}`).add(`week ${isoWeekOf(date).from}`).add(`month ${monthOf(date).from}`);
  }
  const expected: Record<string, Record<string, number>> = {
    users: { users },
    task_board: { task_board: tasks },
    task_reshuffles: { task_reshuffles: reshuffles },
    accounts: { account_audit_log: 2 * tasks, account_days: accountDays.size, account_balances: Math.min(WORKERS, tasks) },
    management_earnings: { management_earnings: days },
    most_expensive_tasks: { most_expensive_tasks: periods.size },
  };
  const accountStreamCount = days * WORKERS;
  return {
    events: userEvents + 2 * reshuffles + 6 * tasks,
    adminId: admin,
    stream(index) {
      if (index < users) return userStreams(index);
      if (index < users + reshuffles) return reshuffleStreams(index - users);
      if (index < users + reshuffles + tasks) return taskStreams(index - users - reshuffles);
      index -= users + reshuffles + tasks;
      if (index < tasks) return pricingStreams(index);
      index -= tasks;
      if (index < accountStreamCount) return accountStreams(index);
      return undefined;
    },
    expectedRows(projection) {
      return expected[projection] ?? {};
    },
  };
}

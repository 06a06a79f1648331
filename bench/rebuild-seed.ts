import { randomUUID } from 'node:crypto';
import { userStream } from '@app/identity/domain/user.decider';
import type { UserRegistered, UserRoleChanged } from '@app/identity/domain/user.events';
import { reshuffleStream } from '@app/tasks/domain/reshuffle.decider';
import type { ReshuffleEvent } from '@app/tasks/domain/reshuffle.events';
import { taskStream } from '@app/tasks/domain/task.decider';
import type { TaskEvent } from '@app/tasks/domain/task.events';

type SeedEvent = UserRegistered | UserRoleChanged | TaskEvent | ReshuffleEvent;

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

/**
 * The platform's contexts as they look after a while in production: users with a few role
 * changes, and tasks that were created, assigned, and then either completed or reassigned by one
 * of the reshuffles. Every task stream holds three events. Ids are random; times step through
 * the last year so the read models store varied values.
 *
 * When accounting is merged, its streams go here too (e.g. each task's pricing and each
 * worker's account transactions, in the proportions the product writes them), with their rows
 * in `expectedRows`, and its projections join `projections` in apps/platform.ts, which the
 * benchmark rebuilds one by one.
 */
export function seedPlan(events: number): SeedPlan {
  const admin = randomUUID();
  const workers = Array.from({ length: WORKERS }, () => randomUUID());
  const userEvents = 1 + WORKERS + Math.floor(WORKERS / PROMOTED_EVERY);
  const reshuffles = Math.max(1, Math.floor(events / (3 * TASKS_PER_RESHUFFLE)));
  const reshuffleIds = Array.from({ length: reshuffles }, () => randomUUID());
  const tasks = Math.max(0, Math.floor((events - userEvents - 2 * reshuffles) / 3));
  const users = 1 + WORKERS;
  const epoch = Date.UTC(2025, 10, 23);
  const at = (i: number) => new Date(epoch + i * 1000).toISOString();
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
    const taskId = randomUUID();
    const assigneeId = workers[t % WORKERS];
    const events: TaskEvent[] = [
      { type: 'TaskCreated', data: { taskId, title: `Task ${t}`, jiraId: t % 3 === 0 ? `POPUG-${t}` : null, description: `Seeded task number ${t}`, createdAt: at(t) } },
      { type: 'TaskAssigned', data: { taskId, assigneeId, previousAssigneeId: null, reshuffleId: null, assignedAt: at(t) } },
      t % 2 === 0
        ? { type: 'TaskCompleted', data: { taskId, completedBy: assigneeId, completedAt: at(t + 3600) } }
        : {
            type: 'TaskAssigned',
            data: { taskId, assigneeId: workers[(t + 1) % WORKERS], previousAssigneeId: assigneeId, reshuffleId: reshuffleIds[t % reshuffles], assignedAt: at(t + 60) },
          },
    ];
    return { name: taskStream(taskId), events };
  };
  const expected: Record<string, Record<string, number>> = {
    users: { users },
    task_board: { task_board: tasks },
    task_reshuffles: { task_reshuffles: reshuffles },
  };
  return {
    events: userEvents + 2 * reshuffles + 3 * tasks,
    adminId: admin,
    stream(index) {
      if (index < users) return userStreams(index);
      if (index < users + reshuffles) return reshuffleStreams(index - users);
      if (index < users + reshuffles + tasks) return taskStreams(index - users - reshuffles);
      return undefined;
    },
    expectedRows(projection) {
      return expected[projection] ?? {};
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { CommandRunner, ConsistencyWaiter, KNEX } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import type { TaskAssigned } from '@app/tasks/contract';
import { WorkflowWorkerService } from '../apps/worker/workflow-worker.service';
import { reshuffleDecider, RESHUFFLES_STREAM } from '../libs/tasks/src/domain/reshuffle.decider';
import { taskDecider, taskStream } from '../libs/tasks/src/domain/task.decider';
import { ScriptedPrices, settle, startAccountingPlatform, TestClock } from './fixtures/accounting.fixture';
import { bearer, Staff, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

const FEE = 10;
const TODAY = () => new Date().toISOString().slice(0, 10);

interface Entry {
  kind: string;
  amount: number;
  taskId: string | null;
}

/**
 * What a user relies on when reassigning: a POST /tasks/reassign that answered an error did not
 * happen, now or later (the worker's resumer finishes only reshuffles that really started).
 */
function reshufflePlatform(env: Record<string, string> = {}) {
  let platform: TestApp;
  let staff: Staff;
  let manager: TestUser;
  let workers: TestUser[];
  const prices = new ScriptedPrices();

  beforeAll(async () => {
    platform = await startAccountingPlatform(new TestClock(), prices, { env });
    staff = await Staff.of(platform.http);
    [manager, ...workers] = await Promise.all([staff.hire('manager'), staff.hire('worker'), staff.hire('worker'), staff.hire('worker')]);
  });
  afterAll(() => platform.close());

  const http = () => platform.http;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  return {
    http,
    store,
    platform: () => platform,
    staff: () => staff,
    manager: () => manager,
    workers: () => workers,
    async createTasks(count: number): Promise<string[]> {
      const created = await Promise.all(
        Array.from({ length: count }, () =>
          http().post('/tasks').set(bearer(manager)).send({ title: `task ${randomUUID().slice(0, 8)}`, description: 'd' }).expect(201),
        ),
      );
      return created.map((r) => r.body.taskId as string);
    },
    /** How many times each task was assigned, from the log. */
    async assignments(taskIds: string[]): Promise<Map<string, number>> {
      const counts = new Map<string, number>();
      for (const taskId of taskIds) {
        const events = await store().readStream(taskStream(taskId));
        counts.set(taskId, events.filter((e) => e.type === 'TaskAssigned').length);
      }
      return counts;
    },
    /** Every worker's debits today, by task, from the accounting API. */
    async debits(): Promise<Map<string, number>> {
      const byTask = new Map<string, number>();
      for (const worker of workers) {
        const log = await http().get(`/accounting/accounts/${worker.userId}/audit-log`).query({ date: TODAY() }).set(bearer(staff.admin)).expect(200);
        for (const entry of log.body.items as Entry[]) {
          if (entry.kind !== 'debit' || entry.taskId === null) continue;
          expect(entry.amount).toBe(FEE);
          byTask.set(entry.taskId, (byTask.get(entry.taskId) ?? 0) + 1);
        }
      }
      return byTask;
    },
    /** What the worker does on its own by `at`: the reshuffle resumer's timers it fires then. */
    async resumeDueBy(at: Date): Promise<number> {
      const fired = await platform.app.get(WorkflowWorkerService).runDue(at);
      return fired.filter((timer) => timer.workflow === 'reshuffle-resumer').length;
    },
    async reshuffleEvents(): Promise<string[]> {
      return (await store().readAll({ filter: { eventTypes: ['TaskReshuffleStarted', 'TaskReshuffleFinished'] }, maxCount: 100_000 })).map((e) => e.type);
    },
  };
}

describe('concurrent POST /tasks/reassign', () => {
  // The resumer takes a reshuffle to be abandoned 300 ms after its start, so a reassign that
  // answered 409 but left a start behind would be carried out within the test (and the resumer
  // also joins the winning run while it is still going, which must change nothing).
  const p = reshufflePlatform({ RESHUFFLE_ABANDONED_AFTER_MS: '300' });

  it('runs one reshuffle; every other answers 409 RESHUFFLE_IN_PROGRESS and has no effect, now or after the resumer ran', async () => {
    const taskIds = await p.createTasks(30);
    const callers = [p.manager(), p.staff().admin];
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => p.http().post('/tasks/reassign').set(bearer(callers[i % 2]))));

    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    // The resumer may join a run that takes longer than its window; each counts the tasks it reached first.
    expect(ok.every((a) => a.body.reassigned >= 0 && a.body.reassigned <= taskIds.length)).toBe(true);
    for (const answer of refused) {
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: 'RESHUFFLE_IN_PROGRESS', details: { reshuffleId: expect.any(String) } });
    }

    // Past the resumer's window several times over; a minute later nothing is left for it to resume.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const waiter = p.platform().app.get(ConsistencyWaiter);
    await waiter.waitFor(['task_reshuffles', 'task_board'], (await p.store().headPosition())!, 5000);
    expect(await p.resumeDueBy(new Date(Date.now() + 60_000))).toBe(0);

    const expected = 1 + ok.length;
    expect([...(await p.assignments(taskIds)).values()]).toEqual(taskIds.map(() => expected));
    expect(await p.reshuffleEvents()).toEqual(ok.flatMap(() => ['TaskReshuffleStarted', 'TaskReshuffleFinished']));
    const knex = p.platform().app.get<Knex>(KNEX);
    expect(await knex('task_reshuffles').whereNull('finished_at')).toEqual([]);

    await settle(p.platform().app);
    const debits = await p.debits();
    expect(taskIds.map((id) => debits.get(id))).toEqual(taskIds.map(() => expected));
  });

  it('a reassign after the running one has finished runs again', async () => {
    const taskIds = await p.createTasks(5);
    const before = await p.assignments(taskIds);
    await p.http().post('/tasks/reassign').set(bearer(p.manager())).expect(200);
    const after = await p.assignments(taskIds);
    expect(taskIds.map((id) => after.get(id)! - before.get(id)!)).toEqual(taskIds.map(() => 1));
  });
});

describe('a reshuffle whose process died', () => {
  // A window of a minute (the default; process.env still holds the settings above): the test moves
  // the resumer's time on itself, so nothing else resumes the reshuffle meanwhile.
  const p = reshufflePlatform({ RESHUFFLE_ABANDONED_AFTER_MS: '60000' });

  it('holds off other reassigns (409, nothing written) until the resumer has finished it, reassigning each task once', async () => {
    const taskIds = await p.createTasks(6);
    const commands = p.platform().app.get(CommandRunner);
    const reshuffleId = randomUUID();
    // What a process leaves behind when it dies after reassigning one task.
    const started = await commands.run(reshuffleDecider, RESHUFFLES_STREAM, {
      type: 'StartReshuffle',
      data: { reshuffleId, startedBy: p.manager().userId, startedAt: new Date().toISOString() },
    });
    await commands.run(taskDecider, taskStream(taskIds[0]), {
      type: 'ReassignTask',
      data: { taskId: taskIds[0], assigneeId: p.workers()[0].userId, reshuffleId, assignedAt: new Date().toISOString() },
    });

    const head = await settle(p.platform().app);
    const refused = await p.http().post('/tasks/reassign').set(bearer(p.manager())).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'RESHUFFLE_IN_PROGRESS', details: { reshuffleId } });
    expect(await settle(p.platform().app)).toBe(head);

    // A minute on, its window is over: the resumer carries it out, once.
    expect(await p.resumeDueBy(new Date(Date.now() + 60_000))).toBe(1);
    const reached = (await p.store().readAll({ filter: { eventTypes: ['TaskAssigned'] }, fromPosition: started.position!, maxCount: 100_000 }))
      .map((e) => e.data as TaskAssigned['data'])
      .filter((d) => d.reshuffleId === reshuffleId);
    expect(reached.map((d) => d.taskId).sort()).toEqual([...taskIds].sort());
    expect(await p.reshuffleEvents()).toEqual(['TaskReshuffleStarted', 'TaskReshuffleFinished']);

    await p.http().post('/tasks/reassign').set(bearer(p.manager())).expect(200);
    expect(await p.reshuffleEvents()).toEqual(['TaskReshuffleStarted', 'TaskReshuffleFinished', 'TaskReshuffleStarted', 'TaskReshuffleFinished']);
  });

  it('answers 422 NO_WORKERS and writes nothing when tasks are open and nobody is a worker', async () => {
    await p.createTasks(1);
    const before = await p.reshuffleEvents();
    await Promise.all(
      p.workers().map((w) => p.http().patch(`/auth/users/${w.userId}/role`).set(bearer(p.staff().admin)).send({ role: 'accountant' }).expect(200)),
    );
    const refused = await p.http().post('/tasks/reassign').set(bearer(p.manager())).expect(422);
    expect(refused.body.error.code).toBe('NO_WORKERS');
    expect(await p.reshuffleEvents()).toEqual(before);
  });
});

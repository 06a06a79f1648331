import { CommandBus } from '@nestjs/cqrs';
import { utcDateOf } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { accountStream } from '../libs/accounting/src/domain/account.decider';
import { billingCycleStream } from '../libs/accounting/src/domain/billing-cycle.decider';
import { CloseBillingCycleCommand } from '../libs/accounting/src/application/close-billing-cycle/close-billing-cycle.command';
import { ProcessManagerWorkerService } from '../apps/worker/process-manager-worker.service';
import { ScriptedPrices, startAccountingPlatform, TestClock } from './fixtures/accounting.fixture';
import { bearer, Staff, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

interface Entry {
  at: string;
  kind: string;
  amount: number;
  taskId: string | null;
}

const WORKERS = 8;
const CLIENTS = 20;
const TASKS = 200;
const COMPLETED = 150;

/** Runs `jobs` with at most `clients` at once, as that many concurrent clients would. */
async function concurrently<T>(clients: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let job = next++; job < jobs.length; job = next++) results[job] = await jobs[job]();
    }),
  );
  return results;
}

const maxOf = (positions: string[]) => positions.reduce((a, b) => (a > b ? a : b));

/**
 * Issue 13's burst, as a new user tried it on `npm start`: concurrent clients create 200 tasks, a
 * manager reshuffles, the assignees complete 150 at once, and each worker at once reads their
 * audit log and balance with `?after=` the last completion. Every debit and every credit must be
 * there (the process managers that post them are upstream of the accounts), and a close started
 * right then must pay each positive balance, that day's last rewards included.
 */
describe('accounting under a burst', () => {
  const prices = new ScriptedPrices();
  let platform: TestApp;
  let staff: Staff;
  let manager: TestUser;
  let workers: TestUser[];
  let today: string;
  const http = () => platform.http;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  // Fees low and rewards high within their ranges, so most workers end the day positive and are paid.
  const fee = (i: number) => 10 + (i % 3);
  const reward = (i: number) => 38 + (i % 3);

  beforeAll(async () => {
    // Not across midnight (UTC): the whole scenario is one billing day.
    const toMidnight = 86_400_000 - (Date.now() % 86_400_000);
    if (toMidnight < 120_000) await new Promise((resolve) => setTimeout(resolve, toMidnight + 1000));
    for (let i = 0; i < TASKS; i++) prices.set(`burst task ${i}`, fee(i), reward(i));
    platform = await startAccountingPlatform(new TestClock(), prices);
    staff = await Staff.of(platform.http);
    manager = await staff.hire('manager', 'Mia');
    workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => staff.hire('worker', `Worker ${i}`)));
    today = utcDateOf(new Date());
  });
  afterAll(() => platform?.close());

  it('shows every debit and credit to ?after= reads at once, in order per task, and the close pays them all', async () => {
    const byId = new Map(workers.map((worker) => [worker.userId, worker]));
    const clients = [manager, ...workers];
    // Who is charged what: a fee per assignment (creation and reshuffle), a reward per completion.
    const expected = new Map<string, string[]>(workers.map((worker) => [worker.userId, []]));
    const titleIndex = new Map<string, number>();

    const created = await concurrently(
      CLIENTS,
      Array.from({ length: TASKS }, (_, i) => async () => {
        const { body } = await http()
          .post('/tasks')
          .set(bearer(clients[i % clients.length]))
          .send({ title: `burst task ${i}`, description: `burst ${i}` })
          .expect(201);
        titleIndex.set(body.taskId, i);
        expected.get(body.assigneeId)!.push(`debit:${body.taskId}:${fee(i)}`);
        return body as { taskId: string; assigneeId: string; position: string };
      }),
    );
    const reshuffle = (await http().post('/tasks/reassign').set(bearer(manager)).expect(200)).body;
    expect(reshuffle.reassigned).toBe(TASKS);
    const open: Array<{ taskId: string; assigneeId: string }> = (
      await http().get('/tasks').query({ status: 'open', limit: 500, after: reshuffle.position }).set(bearer(manager)).expect(200)
    ).body.items;
    expect(open).toHaveLength(TASKS);
    for (const task of open) expected.get(task.assigneeId)!.push(`debit:${task.taskId}:${fee(titleIndex.get(task.taskId)!)}`);

    const completions = await concurrently<string>(
      CLIENTS,
      open.slice(0, COMPLETED).map((task) => async () => {
        const { body } = await http().post(`/tasks/${task.taskId}/complete`).set(bearer(byId.get(task.assigneeId)!)).expect(200);
        expected.get(task.assigneeId)!.push(`credit:${task.taskId}:${reward(titleIndex.get(task.taskId)!)}`);
        return body.position as string;
      }),
    );
    const last = maxOf([...completions, ...created.map((task) => task.position)]);

    // At once, with ?after=: no settling, no sleeping. A 503 READ_MODEL_LAGGING (past CONSISTENCY_TIMEOUT_MS on a
    // busy machine) is the contract's answer, retried as a client would; a 200 must show everything.
    const read = async (path: string, worker: TestUser, query: Record<string, string>) => {
      for (;;) {
        const response = await http().get(path).query(query).set(bearer(worker));
        if (response.status !== 503) return response;
        expect(response.body.error.code).toBe('READ_MODEL_LAGGING');
      }
    };
    const seen = await Promise.all(
      workers.map(async (worker) => {
        const [log, me] = await Promise.all([
          read('/accounting/me/audit-log', worker, { date: today, after: last }),
          read('/accounting/me', worker, { after: last }),
        ]);
        expect([log.status, me.status]).toEqual([200, 200]);
        return { worker, entries: log.body.items as Entry[], balance: me.body.balance as number };
      }),
    );
    const balances = new Map<string, number>();
    for (const { worker, entries, balance } of seen) {
      const shown = entries.map((entry) => `${entry.kind}:${entry.taskId}:${entry.amount}`).sort();
      expect(shown).toEqual(expected.get(worker.userId)!.sort());
      const sum = entries.reduce((total, entry) => total + (entry.kind === 'credit' ? entry.amount : -entry.amount), 0);
      expect(balance).toBe(sum);
      balances.set(worker.userId, balance);
    }
    expect([...balances.values()].some((balance) => balance > 0)).toBe(true);


    // Per task, in the log itself: each task's debits were posted before its credit.
    for (const worker of workers) {
      const posted = await store().readStream(accountStream(worker.userId, today));
      const order = posted.map((event) => ({ type: event.type, taskId: (event.data as { taskId?: string }).taskId }));
      order.forEach(({ type, taskId }, index) => {
        if (type !== 'AccountCredited') return;
        const laterDebit = order.slice(index + 1).some((other) => other.type === 'AccountDebited' && other.taskId === taskId);
        expect({ taskId, laterDebit }).toEqual({ taskId, laterDebit: false });
      });
    }

    // The close, started right away: refused while accounting catches up (and then nothing changed), else it pays everyone.
    let closed: { body: { date: string; payouts: number; total: number; position: string } } | undefined;
    // Three admins' closes at once, as a double click and an impatient colleague would send them.
    for (let attempt = 0; attempt < 10 && !closed; attempt++) {
      const responses = await Promise.all([1, 2, 3].map(() => http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({})));
      for (const response of responses.filter((r) => r.status !== 200)) {
        expect(response.status).toBe(503);
        expect(response.body.error.code).toBe('ACCOUNTING_CATCHING_UP');
        expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      const answered = responses.filter((r) => r.status === 200);
      if (answered.length === 0) {
        expect(await store().readStream(billingCycleStream(today))).toEqual([]);
        continue;
      }
      // One close, however many asked: each that answered answers the same.
      for (const response of answered) expect(response.body).toEqual(answered[0].body);
      closed = answered[0];
    }
    // The close changed the day's balances: every positive one was paid.
    const positive = [...balances].filter(([, balance]) => balance > 0);
    expect(closed!.body).toEqual({
      date: today,
      payouts: positive.length,
      total: positive.reduce((total, [, balance]) => total + balance, 0),
      position: expect.any(String),
    });
    for (const [userId, balance] of positive) {
      const log = (await http().get('/accounting/me/audit-log').query({ date: today, after: closed!.body.position }).set(bearer(byId.get(userId)!)).expect(200))
        .body.items as Entry[];
      expect(log.filter((entry) => entry.kind === 'payout').map((entry) => entry.amount)).toEqual([balance]);
    }
  }, 120_000);
});

/** Issue 13 item 3: a close never closes over work recorded before it began. */
describe('a close while accounting is behind', () => {
  const prices = new ScriptedPrices();
  const clock = new TestClock();
  let platform: TestApp;
  let staff: Staff;
  let worker: TestUser;
  let today: string;
  let tomorrow: string;
  const http = () => platform.http;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  const reactions = () => platform.app.get(ProcessManagerWorkerService);
  const debitsOn = async (date: string) =>
    (await store().readStream(accountStream(worker.userId, date))).filter((event) => event.type === 'AccountDebited').length;
  const createTask = (title: string) => http().post('/tasks').set(bearer(worker)).send({ title, description: 'recorded before the close' }).expect(201);

  beforeAll(async () => {
    const toMidnight = 86_400_000 - (Date.now() % 86_400_000);
    if (toMidnight < 120_000) await new Promise((resolve) => setTimeout(resolve, toMidnight + 1000));
    platform = await startAccountingPlatform(clock, prices, { env: { CONSISTENCY_TIMEOUT_MS: '400' } });
    staff = await Staff.of(platform.http);
    worker = await staff.hire('worker', 'Wes');
    today = utcDateOf(new Date());
    tomorrow = utcDateOf(new Date(Date.now() + 86_400_000));
  });
  afterAll(() => platform?.close());

  it("the scheduler's close waits as long as accounting takes, and closes the day with the work recorded before it", async () => {
    await reactions().beforeApplicationShutdown();
    await createTask('late work');
    const closing = platform.app.get(CommandBus).execute(new CloseBillingCycleCommand(today, undefined, 'until-caught-up'));
    let settled = false;
    void closing.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Far past CONSISTENCY_TIMEOUT_MS (400 ms here): still waiting, nothing written.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(settled).toBe(false);
    expect(await store().readStream(billingCycleStream(today))).toEqual([]);

    await reactions().onApplicationBootstrap();
    await expect(closing).resolves.toMatchObject({ date: today, payouts: 0 });
    expect(await debitsOn(today)).toBe(1);
    expect(await debitsOn(tomorrow)).toBe(0);
    expect((await store().readStream(billingCycleStream(today)))[0].data).toMatchObject({ date: today, upTo: expect.any(String) });
  }, 60_000);

  it('an admin close answers 503 ACCOUNTING_CATCHING_UP with Retry-After and changes nothing; once caught up, it closes with that work', async () => {
    // Today is closed: what is recorded from now on goes to tomorrow, which the clock says has come.
    clock.set(new Date(Date.now() + 86_400_000));
    // Tokens are checked against the clock: log in again on the new day.
    const [workerToken, adminToken] = await Promise.all([staff.logIn(worker.email, worker.beak), staff.logIn(staff.admin.email, staff.admin.beak)]);
    worker = { ...worker, token: workerToken };
    staff = staff.as({ ...staff.admin, token: adminToken });
    await reactions().beforeApplicationShutdown();
    await createTask('work after the first close');

    // Closing the closed day again changes nothing, so it waits for nothing: 200 at once.
    const again = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({ date: today }).expect(200);
    expect(again.body).toMatchObject({ date: today, payouts: 0, total: 0 });

    const refused = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({}).expect(503);
    expect(refused.body.error).toMatchObject({ code: 'ACCOUNTING_CATCHING_UP', details: { date: tomorrow, waitingFor: ['task-accounts'] } });
    expect(refused.headers['retry-after']).toBe('1');
    expect(await store().readStream(billingCycleStream(tomorrow))).toEqual([]);

    await reactions().onApplicationBootstrap();
    let closed;
    for (let attempt = 0; attempt < 50 && closed?.status !== 200; attempt++) closed = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({});
    expect(closed!.body).toMatchObject({ date: tomorrow });
    expect(await debitsOn(tomorrow)).toBe(1);
  }, 60_000);
});

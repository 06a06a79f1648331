import type { Knex } from 'knex';
import type { Response } from 'supertest';
import { addDays, CommandRunner, createKnex, KNEX, ProcessManagerStore, type Recorded, utcDateOf } from '@app/core';
import type { TaskEvent } from '@app/tasks/contract';
import { WorkflowWorkerService } from '../apps/worker/workflow-worker.service';
import { TaskAccountsProcessManager } from '../libs/accounting/src/application/post-transaction/task-accounts.process-manager';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import type { Role } from '@app/identity';
import { accountDecider, accountStream } from '../libs/accounting/src/domain/account.decider';
import { billingCycleDecider, billingCycleStream } from '../libs/accounting/src/domain/billing-cycle.decider';
import { taskStream } from '../libs/tasks/src/domain/task.decider';
import { postTransaction, ScriptedPrices, scriptedTransaction, settle, startAccountingPlatform, TestClock } from './fixtures/accounting.fixture';
import { bearer, Staff, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';


interface Entry {
  at: string;
  kind: 'debit' | 'credit' | 'payout';
  amount: number;
  taskId: string | null;
  taskTitle: string | null;
  description: string;
}

const TASK_EVENTS = ['TaskCreated', 'TaskAssigned', 'TaskCompleted'];

/**
 * One working day, scripted so that every number can be worked out by hand. Prices are fixed per
 * title; who is a worker is arranged so that every draw of an assignee has one candidate.
 *
 *   T1 "peck the keyboard"  fee 12, reward 35   created → Ann, completed by Ann
 *   T2 "oil the scanner"    fee 20, reward 40   created → Ann, reshuffled → Ann, completed by Ann
 *   T3 "count the eggs"     fee 10, reward 20   created → Bob, completed by Bob
 *   T4 "feed the parrots"   fee 15, reward 25   created → Bob, reshuffled → Ann, completed by Ann
 *
 *   Ann: −12 −20 +35 −20 −15 +40 +25 = +33      Bob: −10 −15 +20 = −5
 *   fees 12+20+10+15+20+15 = 92; rewards 35+20+25+40 = 120; management earnings 92 − 120 = −28
 */
describe('accounting: a scripted day', () => {
  const clock = new TestClock();
  const prices = new ScriptedPrices();
  let platform: TestApp;
  let staff: Staff;
  let ann: TestUser;
  let bob: TestUser;
  let accountant: TestUser;
  let manager: TestUser;
  let today: string;
  const tasks: Record<string, { taskId: string; assigneeId: string }> = {};

  const http = () => platform.http;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  const setRole = async (user: TestUser, role: Role) =>
    http().patch(`/auth/users/${user.userId}/role`).set(bearer(staff.admin)).send({ role }).expect(200);
  const create = async (title: string) => {
    const { body } = await http().post('/tasks').set(bearer(manager)).send({ title, description: `the ${title} task, described` }).expect(201);
    tasks[title] = body;
    return body as { taskId: string; assigneeId: string };
  };
  const complete = (title: string, by: TestUser) => http().post(`/tasks/${tasks[title].taskId}/complete`).set(bearer(by)).expect(200);
  const auditLog = async (user: TestUser, after: string, date = today): Promise<Entry[]> =>
    (await http().get('/accounting/me/audit-log').query({ date, after }).set(bearer(user)).expect(200)).body.items;
  const balanceOf = async (user: TestUser, after: string): Promise<number> =>
    (await http().get('/accounting/me').query({ after }).set(bearer(user)).expect(200)).body.balance;
  const allEvents = () => store().readAll({ maxCount: 1_000_000 });

  beforeAll(async () => {
    prices.set('peck the keyboard', 12, 35);
    prices.set('oil the scanner', 20, 40);
    prices.set('count the eggs', 10, 20);
    prices.set('feed the parrots', 15, 25);
    platform = await startAccountingPlatform(clock, prices);
    staff = await Staff.of(platform.http);
    [manager, accountant, ann] = await Promise.all([staff.hire('manager', 'Mia'), staff.hire('accountant', 'Abe'), staff.hire('worker', 'Ann')]);

    expect((await create('peck the keyboard')).assigneeId).toBe(ann.userId);
    expect((await create('oil the scanner')).assigneeId).toBe(ann.userId);
    await complete('peck the keyboard', ann);

    bob = await staff.hire('worker', 'Bob');
    await setRole(ann, 'manager');
    expect((await create('count the eggs')).assigneeId).toBe(bob.userId);
    expect((await create('feed the parrots')).assigneeId).toBe(bob.userId);
    await complete('count the eggs', bob);

    await setRole(ann, 'worker');
    await setRole(bob, 'manager');
    expect((await http().post('/tasks/reassign').set(bearer(manager)).expect(200)).body.reassigned).toBe(2);
    // The most expensive task is completed before a cheaper one: the analytics must keep the highest.
    await complete('oil the scanner', ann);
    await complete('feed the parrots', ann);
    const completed = await store().readAll({ filter: { eventTypes: ['TaskCompleted'] }, maxCount: 10 });
    today = utcDateOf(completed[0].recordedAt);
  });
  afterAll(() => platform.close());

  it('prices each task once, with the drawn prices', async () => {
    await settle(platform.app);
    const priced = await store().readAll({ filter: { eventTypes: ['TaskPriced'] }, maxCount: 100 });
    expect(priced.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ taskId: tasks['peck the keyboard'].taskId, assignmentFee: 12, completionReward: 35 }),
        expect.objectContaining({ taskId: tasks['oil the scanner'].taskId, assignmentFee: 20, completionReward: 40 }),
        expect.objectContaining({ taskId: tasks['count the eggs'].taskId, assignmentFee: 10, completionReward: 20 }),
        expect.objectContaining({ taskId: tasks['feed the parrots'].taskId, assignmentFee: 15, completionReward: 25 }),
      ]),
    );
    expect(priced).toHaveLength(4);
  });

  it('keeps balances and daily audit logs to the unit', async () => {
    const after = await settle(platform.app);
    expect(await balanceOf(ann, after)).toBe(33);
    expect(await balanceOf(bob, after)).toBe(-5);
    expect((await http().get('/accounting/me').query({ after }).set(bearer(ann)).expect(200)).body).toEqual({ userId: ann.userId, balance: 33, date: today });

    const annLog = await auditLog(ann, after);
    const line = (e: Entry) => [e.kind, e.amount, e.taskTitle];
    expect(annLog.map(line)).toHaveLength(7);
    expect(annLog.slice(0, 3).map(line)).toEqual([
      ['debit', 12, 'peck the keyboard'],
      ['debit', 20, 'oil the scanner'],
      ['credit', 35, 'peck the keyboard'],
    ]);
    // The reshuffle reassigns tasks concurrently, so its two debits come in either order.
    expect(annLog.slice(3, 5).map(line)).toEqual(
      expect.arrayContaining([
        ['debit', 20, 'oil the scanner'],
        ['debit', 15, 'feed the parrots'],
      ]),
    );
    expect(annLog.slice(5).map(line)).toEqual([
      ['credit', 40, 'oil the scanner'],
      ['credit', 25, 'feed the parrots'],
    ]);
    expect(annLog[0]).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      kind: 'debit',
      amount: 12,
      taskId: tasks['peck the keyboard'].taskId,
      taskTitle: 'peck the keyboard',
      description: 'the peck the keyboard task, described',
    });
    expect((await auditLog(bob, after)).map(line)).toEqual([
      ['debit', 10, 'count the eggs'],
      ['debit', 15, 'feed the parrots'],
      ['credit', 20, 'count the eggs'],
    ]);
    const bobsLog = await http().get(`/accounting/accounts/${bob.userId}/audit-log`).query({ date: today, after }).set(bearer(accountant)).expect(200);
    expect(bobsLog.body.items).toEqual(await auditLog(bob, after));
    expect((await http().get('/accounting/me/audit-log').query({ date: '2001-01-01', after }).set(bearer(ann)).expect(200)).body).toEqual({ items: [] });
  });

  it('records each debit as caused by its task event, in the request’s correlation and trace', async () => {
    await settle(platform.app);
    const [assigned] = await store().readStream(taskStream(tasks['peck the keyboard'].taskId), { fromRevision: 1n, maxCount: 1 });
    const debits = await store().readAll({ filter: { eventTypes: ['AccountDebited'] }, maxCount: 100 });
    const debit = debits.find((e) => e.metadata.causationId === assigned.id)!;
    expect(debit.data).toMatchObject({ taskId: tasks['peck the keyboard'].taskId, userId: ann.userId, amount: 12 });
    expect(debit.metadata).toMatchObject({ correlationId: assigned.metadata.correlationId, traceKey: assigned.metadata.traceKey, userId: manager.userId });
  });

  it('shows every account, the management earnings and the analytics to the unit', async () => {
    const after = await settle(platform.app);
    const accounts = (await http().get('/accounting/accounts').query({ after }).set(bearer(accountant)).expect(200)).body;
    expect(accounts).toEqual([
      { userId: ann.userId, name: 'Ann', balance: 33 },
      { userId: bob.userId, name: 'Bob', balance: -5 },
    ]);
    expect((await http().get('/accounting/earnings').query({ date: today, after }).set(bearer(accountant)).expect(200)).body).toEqual({
      date: today,
      earnings: -28,
      fees: 92,
      rewards: 120,
    });
    expect((await http().get('/analytics/summary').query({ date: today, after }).set(bearer(staff.admin)).expect(200)).body).toEqual({
      date: today,
      managementEarnings: -28,
      negativeBalanceWorkers: 1,
    });
    for (const period of ['day', 'week', 'month']) {
      const { body } = await http().get('/analytics/most-expensive-task').query({ period, date: today, after }).set(bearer(staff.admin)).expect(200);
      expect(body).toMatchObject({
        period,
        task: { taskId: tasks['oil the scanner'].taskId, title: 'oil the scanner', reward: 40, completedAt: expect.stringMatching(/Z$/) },
      });
      expect(body.from <= today && today <= body.to).toBe(true);
    }
    const nothing = await http().get('/analytics/most-expensive-task').query({ period: 'week', date: '2001-01-03' }).set(bearer(staff.admin)).expect(200);
    expect(nothing.body).toEqual({ period: 'week', from: '2001-01-01', to: '2001-01-07', task: null });
    const month = await http().get('/analytics/most-expensive-task').query({ period: 'month', date: '2024-02-10' }).set(bearer(staff.admin)).expect(200);
    expect(month.body).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('gives a customer no account', async () => {
    const customer = await staff.hire('customer');
    const after = await settle(platform.app);
    const accounts: Array<{ userId: string }> = (await http().get('/accounting/accounts').query({ after: after > customer.position ? after : customer.position }).set(bearer(accountant)).expect(200)).body;
    expect(accounts.map((a) => a.userId)).not.toContain(customer.userId);
    expect(accounts.length).toBeGreaterThan(0);
  });

  it('changes nothing when the same task events are delivered again', async () => {
    await settle(platform.app);
    const before = await allEvents();
    const taskEvents = before.filter((e) => TASK_EVENTS.includes(e.type));
    expect(taskEvents.length).toBe(4 + 6 + 4);
    const accounts = platform.app.get(TaskAccountsProcessManager);
    for (const event of taskEvents) await accounts.handle(event as Recorded<TaskEvent>);
    const after = await settle(platform.app);
    expect((await allEvents()).length).toBe(before.length);
    expect(await balanceOf(ann, after)).toBe(33);
    expect(await balanceOf(bob, after)).toBe(-5);
  });

  describe('closing the day', () => {
    let closed: { date: string; payouts: number; position: string };

    beforeAll(async () => {
      await settle(platform.app);
      closed = (await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({ date: today }).expect(200)).body;
    });

    it('pays out the positive balance, carries the negative one, and emails the payout', async () => {
      expect(closed).toEqual({ date: today, payouts: 1, total: 33, position: expect.any(String) });
      const after = await settle(platform.app);
      expect(await balanceOf(ann, after)).toBe(0);
      expect(await balanceOf(bob, after)).toBe(-5);
      expect((await auditLog(ann, after)).at(-1)).toEqual({
        at: expect.any(String),
        kind: 'payout',
        amount: 33,
        taskId: null,
        taskTitle: null,
        description: `Payout of the balance of ${today}`,
      });
      expect((await auditLog(bob, after)).map((e) => e.kind)).not.toContain('payout');
      const emails = (await http().get('/accounting/emails').query({ after }).set(bearer(staff.admin)).expect(200)).body;
      expect(emails).toEqual([
        expect.objectContaining({ to: ann.email, amount: 33, date: today, status: 'outbox', subject: expect.stringContaining('33'), userId: ann.userId }),
      ]);
      expect((await http().get('/accounting/emails').query({ userId: bob.userId, after }).set(bearer(staff.admin)).expect(200)).body).toEqual([]);
      expect((await http().get('/analytics/summary').query({ date: today, after }).set(bearer(staff.admin)).expect(200)).body).toEqual({
        date: today,
        managementEarnings: -28,
        negativeBalanceWorkers: 1,
      });
      const carried = await store().readStream(accountStream(bob.userId, nextDay(today)));
      expect(carried.map((e) => [e.type, (e.data as { amount: number }).amount])).toEqual([['BalanceCarriedIn', -5]]);
    });

    it('changes nothing when the same day is closed again', async () => {
      await settle(platform.app);
      const before = (await allEvents()).length;
      const again = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({ date: today }).expect(200);
      expect(again.body).toEqual(closed);
      await settle(platform.app);
      expect((await allEvents()).length).toBe(before);
    });

    it('still changes nothing when the task events are delivered again after the close', async () => {
      await settle(platform.app);
      const before = await allEvents();
      const accounts = platform.app.get(TaskAccountsProcessManager);
      for (const event of before.filter((e) => e.type === 'TaskAssigned' || e.type === 'TaskCompleted')) await accounts.handle(event as Recorded<TaskEvent>);
      const after = await settle(platform.app);
      expect((await allEvents()).length).toBe(before.length);
      expect(await balanceOf(ann, after)).toBe(0);
    });

    it('posts work recorded on a closed day to the next day', async () => {
      const late = await postTransaction(
        platform.app,
        { kind: 'credit', transactionId: '6f0e3d9a-3c1b-4b7e-9e59-0d5d2c1b9a01', userId: ann.userId, amount: 7, taskId: tasks['oil the scanner'].taskId, taskTitle: 'late', description: 'late', at: new Date().toISOString() },
        today,
      );
      expect(late).toBe(nextDay(today));
      const after = await settle(platform.app);
      expect(await balanceOf(ann, after)).toBe(7);
      expect((await auditLog(ann, after, nextDay(today))).map((e) => [e.kind, e.amount])).toEqual([['credit', 7]]);
    });
  });

  it('rebuilding the accounting read models from the log gives the same rows', async () => {
    const knex = platform.app.get<Knex>(KNEX);
    await settle(platform.app);
    const tables = ['account_balances', 'account_days', 'account_audit_log', 'daily_balances', 'billing_cycles', 'payout_emails', 'management_earnings', 'most_expensive_tasks'];
    const snapshot = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await knex(t).select().orderByRaw('1, 2')] as const)));
    const before = await snapshot();
    expect(before.account_audit_log.length).toBeGreaterThan(10);
    const names = ['accounts', 'billing', 'management_earnings', 'most_expensive_tasks'];
    for (const name of names) await http().post(`/projections/${name}/rebuild`).set(bearer(staff.admin)).expect(202);
    await eventually(async () => {
      const reports: Array<{ name: string; status: string; rebuild: unknown }> = (await http().get('/projections').set(bearer(staff.admin)).expect(200)).body;
      return reports.filter((r) => names.includes(r.name)).every((r) => r.status === 'running' && r.rebuild === null);
    });
    expect(await snapshot()).toEqual(before);
  });

  it('changes nothing when a restarted worker is handed every task event again from the start of the log', async () => {
    await settle(platform.app);
    const before = await allEvents();
    const knex = platform.app.get<Knex>(KNEX);
    const balances = await knex('account_balances').orderBy('user_id');
    const database = platform.database;
    await platform.close({ keepDatabase: true });
    const reset = createKnex(database.url, 1);
    try {
      await new ProcessManagerStore(reset).resetCheckpoint('task-accounts', null);
    } finally {
      await reset.destroy();
    }
    platform = await startAccountingPlatform(clock, prices, { database });
    await settle(platform.app);
    expect((await allEvents()).length).toBe(before.length);
    expect(await platform.app.get<Knex>(KNEX)('account_balances').orderBy('user_id')).toEqual(balances);
  });
});

function nextDay(date: string, days = 1): string {
  return addDays(date, days);
}

describe('accounting: closing billing cycles', () => {
  const clock = new TestClock();
  let platform: TestApp;
  let staff: Staff;
  let workers: TestUser[];
  const http = () => platform.http;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  const today = utcDateOf(new Date());
  const daysAgo = (n: number) => nextDay(today, -n);
  const post = (user: TestUser, kind: 'debit' | 'credit', amount: number, date: string) =>
    postTransaction(platform.app, scriptedTransaction(user.userId, kind, amount, `${date}T12:00:00.000Z`), date);
  const payoutsOf = async (user: TestUser) =>
    (await store().readAll({ filter: { eventTypes: ['PayoutMade'] }, maxCount: 1000 })).filter((e) => (e.data as { userId: string }).userId === user.userId);

  beforeAll(async () => {
    platform = await startAccountingPlatform(clock, new ScriptedPrices());
    staff = await Staff.of(platform.http);
    workers = await Promise.all([staff.hire('worker', 'Wes'), staff.hire('worker', 'Wyn'), staff.hire('worker', 'Wim')]);
  });
  afterAll(() => platform.close());

  it('finishes a close that stopped half-way, paying nobody twice', async () => {
    const [wes, wyn, wim] = workers;
    const day = daysAgo(3);
    await post(wes, 'credit', 30, day);
    await post(wyn, 'credit', 25, day);
    await post(wim, 'debit', 10, day);
    await settle(platform.app);
    // What a close leaves behind when its process dies after paying Wes, and after closing Wim's
    // account but before carrying his debt into the next day.
    const commands = platform.app.get(CommandRunner);
    await commands.run(billingCycleDecider, billingCycleStream(day), { type: 'StartBillingCycleClose', data: { date: day, startedAt: new Date().toISOString() } });
    for (const worker of [wes, wim]) {
      await commands.run(accountDecider, accountStream(worker.userId, day), {
        type: 'CloseAccountDay',
        data: { userId: worker.userId, date: day, payoutId: `11111111-1111-4111-8111-${worker === wes ? '000000000001' : '000000000002'}`, closedAt: new Date().toISOString() },
      });
    }
    expect(await store().readStream(accountStream(wim.userId, daysAgo(2)))).toEqual([]);

    const closed = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({ date: day }).expect(200);
    expect(closed.body).toEqual({ date: day, payouts: 2, total: 55, position: expect.any(String) });
    expect((await payoutsOf(wes)).map((e) => (e.data as { amount: number }).amount)).toEqual([30]);
    expect((await payoutsOf(wyn)).map((e) => (e.data as { amount: number }).amount)).toEqual([25]);
    expect(await payoutsOf(wim)).toEqual([]);
    const after = await settle(platform.app);
    const emails = (await http().get('/accounting/emails').query({ after }).set(bearer(staff.admin)).expect(200)).body;
    expect(emails.map((e: { to: string; amount: number; date: string; status: string }) => [e.to, e.amount, e.date, e.status])).toEqual([
      [wes.email, 30, day, 'outbox'],
      [wyn.email, 25, day, 'outbox'],
    ]);
    const carried = await store().readStream(accountStream(wim.userId, daysAgo(2)));
    expect(carried.map((e) => e.data)).toEqual([{ userId: wim.userId, date: daysAgo(2), fromDate: day, amount: -10 }]);
  });

  it('the scheduler closes the day once its day end has passed, catching up every earlier day left open, in order', async () => {
    const [, wyn, wim] = workers;
    const workflows = platform.app.get(WorkflowWorkerService);
    await settle(platform.app);
    // Before the day end nothing is due: Wim's debt, carried into a day nobody closed yet, stays there.
    expect((await workflows.runDue()).filter((fired) => fired.workflow === 'billing-scheduler')).toEqual([]);
    expect(await store().readStream(accountStream(wim.userId, today))).toEqual([]);

    await post(wyn, 'credit', 15, today);
    await settle(platform.app);
    clock.set(`${nextDay(today)}T00:00:01.000Z`);
    try {
      await workflows.runDue();
    } finally {
      clock.set(null);
    }
    // Today's close closed the earlier open days first: Wim's debt went through each into today.
    const intoToday = await store().readStream(accountStream(wim.userId, today));
    expect(intoToday.map((e) => e.data)).toEqual([{ userId: wim.userId, date: today, fromDate: daysAgo(1), amount: -10 }, expect.objectContaining({ closingBalance: -10 })]);
    expect((await store().readStream(billingCycleStream(today))).map((e) => e.type)).toEqual(['BillingCycleCloseStarted', 'BillingCycleClosed']);
    expect((await payoutsOf(wyn)).map((e) => (e.data as { date: string; amount: number }).date)).toEqual([daysAgo(3), today]);
    const after = await settle(platform.app);
    expect((await http().get('/accounting/me').query({ after }).set(bearer(wim)).expect(200)).body.balance).toBe(-10);
    expect((await http().get('/analytics/summary').query({ after }).set(bearer(staff.admin)).expect(200)).body).toMatchObject({ negativeBalanceWorkers: 1 });
  });

  it('refuses a date in the future with 422 BILLING_DATE_IN_FUTURE, and a malformed one with 400', async () => {
    const future = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({ date: nextDay(today) }).expect(422);
    expect(future.body.error.code).toBe('BILLING_DATE_IN_FUTURE');
    for (const body of [{ date: '2024-02-30' }, { date: 'yesterday' }, { date: 20240501 }, { when: today }]) {
      const response = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send(body).expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers 400 VALIDATION_FAILED for bad query parameters and 404 for an unknown user', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['/accounting/earnings', { date: '2024-13-01' }, 'date'],
      ['/accounting/me/audit-log', { date: 'today' }, 'date'],
      ['/accounting/emails', { userId: 'ann' }, 'userId'],
      ['/analytics/most-expensive-task', { period: 'year' }, 'period'],
      ['/analytics/summary', { date: '01-05-2024' }, 'date'],
    ];
    for (const [path, query, field] of cases) {
      const response = await http().get(path).query(query).set(bearer(staff.admin)).expect(400);
      expect(response.body.error.details.fields).toHaveProperty(field);
    }
    expect((await http().get('/accounting/accounts/nope/audit-log').set(bearer(staff.admin)).expect(400)).body.error.details.fields).toHaveProperty('userId');
    const unknown = await http().get('/accounting/accounts/00000000-0000-4000-8000-000000000000/audit-log').set(bearer(staff.admin)).expect(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  describe('who may call what', () => {
    type Actor = Role | 'anonymous';
    const ACTORS: Actor[] = ['anonymous', 'admin', 'manager', 'accountant', 'worker', 'customer'];
    const loggedIn: Actor[] = ['admin', 'manager', 'accountant', 'worker', 'customer'];
    let cast: Record<Role, TestUser>;

    beforeAll(async () => {
      const [manager, accountant, customer] = await Promise.all([staff.hire('manager'), staff.hire('accountant'), staff.hire('customer')]);
      cast = { admin: staff.admin, manager, accountant, worker: workers[0], customer };
    });

    const endpoints: Array<{ name: string; allowed: Actor[]; call: (headers: Record<string, string>) => Promise<Response> }> = [
      { name: 'GET /accounting/me', allowed: loggedIn, call: (h) => http().get('/accounting/me').set(h) },
      { name: 'GET /accounting/me/audit-log', allowed: loggedIn, call: (h) => http().get('/accounting/me/audit-log').set(h) },
      { name: 'GET /accounting/accounts', allowed: ['admin', 'accountant'], call: (h) => http().get('/accounting/accounts').set(h) },
      {
        name: 'GET /accounting/accounts/:userId/audit-log',
        allowed: ['admin', 'accountant'],
        call: (h) => http().get(`/accounting/accounts/${workers[0].userId}/audit-log`).set(h),
      },
      { name: 'GET /accounting/earnings', allowed: ['admin', 'accountant'], call: (h) => http().get('/accounting/earnings').set(h) },
      // A day closed above: closing it again changes nothing (an earlier day has nothing to close: 422).
      { name: 'POST /accounting/billing-cycles/close', allowed: ['admin'], call: (h) => http().post('/accounting/billing-cycles/close').set(h).send({ date: daysAgo(3) }) },
      { name: 'GET /accounting/emails', allowed: ['admin'], call: (h) => http().get('/accounting/emails').set(h) },
      { name: 'GET /analytics/most-expensive-task', allowed: ['admin'], call: (h) => http().get('/analytics/most-expensive-task').query({ period: 'week' }).set(h) },
      { name: 'GET /analytics/summary', allowed: ['admin'], call: (h) => http().get('/analytics/summary').set(h) },
    ];
    const cases = endpoints.flatMap((endpoint) => ACTORS.map((actor) => [endpoint.name, actor, endpoint] as const));

    it.each(cases)('%s as %s', async (_, actor, endpoint) => {
      const response = await endpoint.call(actor === 'anonymous' ? {} : bearer(cast[actor]));
      if (endpoint.allowed.includes(actor)) {
        expect(response.status).toBe(200);
      } else if (actor === 'anonymous') {
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe('UNAUTHENTICATED');
      } else {
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe('FORBIDDEN');
      }
    });
  });

  it('documents every accounting and analytics endpoint in the OpenAPI document', async () => {
    const document = (await http().get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/accounting/me',
        '/accounting/me/audit-log',
        '/accounting/accounts',
        '/accounting/accounts/{userId}/audit-log',
        '/accounting/earnings',
        '/accounting/billing-cycles/close',
        '/accounting/emails',
        '/analytics/most-expensive-task',
        '/analytics/summary',
      ]),
    );
  });
});

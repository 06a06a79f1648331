import type { Knex } from 'knex';
import { addDays, KNEX, utcDateOf, workflowStream, workflowTimerStream } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { accountStream } from '../libs/accounting/src/domain/account.decider';
import { billingCycleStream } from '../libs/accounting/src/domain/billing-cycle.decider';
import { postTransaction, ScriptedPrices, scriptedTransaction, settle, startAccountingPlatform, TestClock } from './fixtures/accounting.fixture';
import { Staff, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The end of day as users rely on it when no worker ran for days: the closes that fell due meanwhile
 * are durable timers in the database, not a process's memory, so the next worker to start closes
 * each missed day in turn, pays each payout once and carries a debt through every day into the open one.
 */
describe('the billing schedule across days no worker ran', () => {
  const clock = new TestClock();
  const prices = new ScriptedPrices();
  const today = utcDateOf(new Date());
  let database: TestDatabase;
  let platform: TestApp;
  let wes: TestUser;
  let wim: TestUser;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  const post = (user: TestUser, kind: 'debit' | 'credit', amount: number) =>
    postTransaction(platform.app, scriptedTransaction(user.userId, kind, amount, new Date().toISOString()), today);

  beforeAll(async () => {
    // A day end during the test would close today early.
    const toMidnight = 86_400_000 - (Date.now() % 86_400_000);
    if (toMidnight < 60_000) await new Promise((resolve) => setTimeout(resolve, toMidnight + 1000));
    database = await createTestDatabase('billing_schedule');
    platform = await startAccountingPlatform(clock, prices, { database });
    const staff = await Staff.of(platform.http);
    [wes, wim] = await Promise.all([staff.hire('worker', 'Wes'), staff.hire('worker', 'Wim')]);
  });
  afterAll(() => platform.close());

  it('closes each missed day in turn once a worker runs again, paying once and carrying a debt into the open day', async () => {
    await post(wes, 'credit', 30);
    await post(wim, 'debit', 10);
    await settle(platform.app);
    // Nothing is due before the day end.
    expect(await store().readStream(billingCycleStream(today))).toEqual([]);

    // The worker stops; three day ends pass before one starts again (on the same database).
    await platform.close({ keepDatabase: true });
    clock.set(`${addDays(today, 3)}T00:00:01.000Z`);
    platform = await startAccountingPlatform(clock, prices, { database });

    const missed = [today, addDays(today, 1), addDays(today, 2)];
    const closes = await Promise.all(missed.map((day) => store().readStream(billingCycleStream(day))));
    expect(closes.map((events) => events.map((e) => e.type))).toEqual(missed.map(() => ['BillingCycleCloseStarted', 'BillingCycleClosed']));
    const closedAt = closes.map((events) => events[1].position);
    expect([...closedAt].sort()).toEqual(closedAt);
    expect(await store().readStream(billingCycleStream(addDays(today, 3)))).toEqual([]);

    const payouts = (await store().readAll({ filter: { eventTypes: ['PayoutMade'] }, maxCount: 1000 })).map((e) => e.data as { userId: string; date: string; amount: number });
    expect(payouts.map(({ userId, date, amount }) => [userId, date, amount])).toEqual([[wes.userId, today, 30]]);
    const intoOpenDay = await store().readStream(accountStream(wim.userId, addDays(today, 3)));
    expect(intoOpenDay.map((e) => e.data)).toEqual([{ userId: wim.userId, date: addDays(today, 3), fromDate: addDays(today, 2), amount: -10 }]);

    // The schedule went on where it was: started once, and the open day's close is the one pending.
    const schedule = await store().readStream(workflowTimerStream('billing-scheduler', 'daily-close'));
    expect(schedule.filter((e) => e.type === 'WorkflowStarted')).toHaveLength(1);
    expect((await store().readStream(workflowStream('billing-scheduler', 'daily-close'))).length).toBe(schedule.length);
    const pending = await platform.app.get<Knex>(KNEX)('workflow_timers').where({ workflow: 'billing-scheduler' });
    expect(pending.map((row) => [row.timer_id, row.due_at.toISOString()])).toEqual([[`close-${addDays(today, 3)}`, `${addDays(today, 4)}T00:00:00.000Z`]]);
  });
});

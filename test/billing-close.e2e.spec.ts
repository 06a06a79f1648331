import { addDays, CommandRunner, utcDateOf, workflowStream } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { accountDecider, accountStream } from '../libs/accounting/src/domain/account.decider';
import { billingCycleStream } from '../libs/accounting/src/domain/billing-cycle.decider';
import { postTransaction, ScriptedPrices, scriptedTransaction, settle, startAccountingPlatform, TestClock } from './fixtures/accounting.fixture';
import { bearer, Staff, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

/**
 * The close as the `billing-close` workflow runs it, through HTTP: the admin's close records the
 * start with the day's accounts and answers from the workflow's `BillingCycleClosed`; an account
 * the close was not given (opened on the day by a posting that raced the start) is closed by the
 * next close of the day, which lists it.
 */
describe('billing close: the workflow closes the accounts it is given', () => {
  const clock = new TestClock();
  let platform: TestApp;
  let staff: Staff;
  let ann: TestUser;
  let bob: TestUser;
  let eve: TestUser;
  const today = utcDateOf(new Date());
  const day = addDays(today, -2);
  const http = () => platform.http;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  const close = async (date: string) => (await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({ date }).expect(200)).body;
  const post = (user: TestUser, kind: 'debit' | 'credit', amount: number, date: string) =>
    postTransaction(platform.app, scriptedTransaction(user.userId, kind, amount, `${date}T12:00:00.000Z`), date);
  const typesOf = async (stream: string) => (await store().readStream(stream)).map((event) => event.type);

  beforeAll(async () => {
    platform = await startAccountingPlatform(clock, new ScriptedPrices());
    staff = await Staff.of(platform.http);
    [ann, bob, eve] = await Promise.all([staff.hire('worker', 'Ann'), staff.hire('worker', 'Bob'), staff.hire('worker', 'Eve')]);
  });
  afterAll(() => platform.close());

  it('answers the close from the workflow: each listed account paid or carried, the totals its own', async () => {
    await post(ann, 'credit', 33, day);
    await post(bob, 'debit', 5, day);
    await settle(platform.app);

    expect(await close(day)).toEqual({ date: day, payouts: 1, total: 33, position: expect.any(String) });
    const [started] = await store().readStream(billingCycleStream(day));
    expect(started.data).toMatchObject({ date: day, accounts: [ann.userId, bob.userId].sort() });
    expect(await typesOf(accountStream(ann.userId, day))).toEqual(['AccountCredited', 'PayoutMade', 'AccountDayClosed']);
    expect(await typesOf(accountStream(bob.userId, day))).toEqual(['AccountDebited', 'AccountDayClosed']);
    expect((await store().readStream(accountStream(bob.userId, addDays(day, 1)))).map((event) => event.data)).toEqual([
      { userId: bob.userId, date: addDays(day, 1), fromDate: day, amount: -5 },
    ]);
    // The workflow's stream holds what it took: the start, the payout, the closes and the carry.
    expect(await typesOf(workflowStream('billing-close', day))).toHaveLength(5);
  });

  it('closes an account opened on a closed day by the next close of it, paying it once, the first answer kept', async () => {
    // A posting that raced the start: Eve's account is on the day, which the close was not given.
    await platform.app.get(CommandRunner).run(accountDecider, accountStream(eve.userId, day), {
      type: 'PostTransaction',
      data: { ...scriptedTransaction(eve.userId, 'credit', 12, `${day}T23:59:59.000Z`), date: day },
    });
    await settle(platform.app);

    expect(await close(day)).toMatchObject({ date: day, payouts: 1, total: 33 });
    expect(await typesOf(accountStream(eve.userId, day))).toEqual(['AccountCredited', 'PayoutMade', 'AccountDayClosed']);
    expect(await typesOf(billingCycleStream(day))).toEqual(['BillingCycleCloseStarted', 'BillingCycleClosed', 'BillingCycleAccountsListed']);
    expect((await store().readStream(billingCycleStream(day)))[2].data).toMatchObject({ accounts: [eve.userId] });

    // Closed with nothing open: closing again writes nothing (once the first close's reactions, its payout emails, are done).
    const head = await settle(platform.app);
    expect(await close(day)).toMatchObject({ date: day, payouts: 1, total: 33 });
    expect(await store().headPosition()).toBe(head);
  });
});

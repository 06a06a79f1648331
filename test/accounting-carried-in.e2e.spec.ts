import { addDays, utcDateOf } from '@app/core';
import { ScriptedPrices, settle, startAccountingPlatform, TestClock } from './fixtures/accounting.fixture';
import { bearer, Staff, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

interface Entry {
  at: string;
  kind: 'debit' | 'credit' | 'payout' | 'carried_in';
  amount: number;
  taskId: string | null;
  taskTitle: string | null;
  description: string;
}

/** What the entries do to the balance: a credit adds, the others take away. */
const total = (entries: Entry[]) => entries.reduce((sum, e) => sum + (e.kind === 'credit' ? e.amount : -e.amount), 0);

/**
 * A worker's days through HTTP, across two closes:
 *
 *   day 1   "dig the burrow" fee 20                           −20, closed: −20 carried into day 2
 *   day 2   carried −20, "sort the pebbles" fee 10 reward 25,
 *           "polish the beaks" fee 10 reward 40                +25, closed: 25 paid out
 *
 * Task events are posted to the day they are recorded on (today), so day 1 is today and day 2's
 * work is recorded today too, after today was closed: it goes to the next open day.
 */
describe('accounting: a carried-in balance in the audit log, and the open day of GET /accounting/me', () => {
  const clock = new TestClock();
  const prices = new ScriptedPrices();
  let platform: TestApp;
  let staff: Staff;
  let manager: TestUser;
  let wes: TestUser;
  const day1 = utcDateOf(new Date());
  const day2 = addDays(day1, 1);
  const day3 = addDays(day1, 2);

  const http = () => platform.http;
  const createAndComplete = async (title: string, complete: boolean) => {
    const { body } = await http().post('/tasks').set(bearer(manager)).send({ title, description: `${title}, described` }).expect(201);
    expect(body.assigneeId).toBe(wes.userId);
    if (complete) await http().post(`/tasks/${body.taskId}/complete`).set(bearer(wes)).expect(200);
  };
  const me = async () => (await http().get('/accounting/me').query({ after: await settle(platform.app) }).set(bearer(wes)).expect(200)).body;
  const auditLog = async (date: string): Promise<Entry[]> =>
    (await http().get('/accounting/me/audit-log').query({ date, after: await settle(platform.app) }).set(bearer(wes)).expect(200)).body.items;
  const close = async (date: string, by = staff.admin) => (await http().post('/accounting/billing-cycles/close').set(bearer(by)).send({ date }).expect(200)).body;

  beforeAll(async () => {
    prices.set('dig the burrow', 20, 30);
    prices.set('sort the pebbles', 10, 25);
    prices.set('polish the beaks', 10, 40);
    platform = await startAccountingPlatform(clock, prices);
    staff = await Staff.of(platform.http);
    [manager, wes] = await Promise.all([staff.hire('manager', 'Mia'), staff.hire('worker', 'Wes')]);
  });
  afterAll(() => platform.close());

  it('answers the open day with its balance: today until today is closed, then the next day', async () => {
    await createAndComplete('dig the burrow', false);
    expect(await me()).toEqual({ userId: wes.userId, balance: -20, date: day1 });

    expect(await close(day1)).toMatchObject({ date: day1, payouts: 0, total: 0 });
    // The day closed negative: its balance is the next day's, and that is the day named.
    expect(await me()).toEqual({ userId: wes.userId, balance: -20, date: day2 });
    expect(await auditLog(day1)).toEqual([expect.objectContaining({ kind: 'debit', amount: 20, taskTitle: 'dig the burrow' })]);
    expect(total(await auditLog(day1))).toBe(-20);
  });

  it('shows the negative balance carried into the next day as that day’s first entry, and the day’s entries add up to its balance', async () => {
    await createAndComplete('sort the pebbles', true);
    await createAndComplete('polish the beaks', true);
    const balance = await me();
    expect(balance).toEqual({ userId: wes.userId, balance: 25, date: day2 });

    const day2Log = await auditLog(day2);
    expect(day2Log[0]).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      kind: 'carried_in',
      amount: 20,
      taskId: null,
      taskTitle: null,
      description: `Balance of ${day1} carried in`,
    });
    expect(day2Log.slice(1).map((e) => [e.kind, e.amount, e.taskTitle])).toEqual([
      ['debit', 10, 'sort the pebbles'],
      ['credit', 25, 'sort the pebbles'],
      ['debit', 10, 'polish the beaks'],
      ['credit', 40, 'polish the beaks'],
    ]);
    expect(total(day2Log)).toBe(balance.balance);
    // The accountant's view of the same log is the same.
    const accountant = await staff.hire('accountant');
    const seen = await http().get(`/accounting/accounts/${wes.userId}/audit-log`).query({ date: day2, after: await settle(platform.app) }).set(bearer(accountant)).expect(200);
    expect(seen.body.items).toEqual(day2Log);
  });

  it('after the next day is closed with a payout, its entries add up to nothing left, and the day after is the open one', async () => {
    clock.set(`${day2}T00:00:01.000Z`);
    try {
      // Tokens are checked against the clock too: the admin logs in on that day.
      const admin = (await Staff.of(platform.http)).admin;
      expect(await close(day2, admin)).toMatchObject({ date: day2, payouts: 1, total: 25 });
    } finally {
      clock.set(null);
    }
    const day2Log = await auditLog(day2);
    expect(day2Log.at(-1)).toMatchObject({ kind: 'payout', amount: 25 });
    expect(total(day2Log)).toBe(0);
    expect(await me()).toEqual({ userId: wes.userId, balance: 0, date: day3 });
    expect(await auditLog(day3)).toEqual([]);
  });

  it('GET /process-managers lists the platform’s process managers and workflows, all caught up', async () => {
    await settle(platform.app);
    const reports: Array<{ name: string; status: string; attempts: number }> = (await http().get('/process-managers').set(bearer(staff.admin)).expect(200)).body;
    expect(reports.map((r) => r.name).sort()).toEqual(['billing-close', 'billing-scheduler', 'ledger-postings-applied', 'ledger-reconcile', 'orders-fulfilment', 'orders-simulated-provider', 'payout-emails', 'reshuffle-resumer', 'task-accounts', 'ticketing-holds', 'ticketing-offer-emails']);
    for (const report of reports) expect(report).toMatchObject({ status: 'running', attempts: 0 });
  });
});

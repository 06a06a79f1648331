import type { AccountEvent } from '@app/accounting/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { accountsProjection } from './accounts.projection';
import { accountsQueries } from './accounts.queries';

const ANN = '00000000-0000-4000-8000-00000000a001';
const BOB = '00000000-0000-4000-8000-00000000b001';
const TASK = '00000000-0000-4000-8000-000000000001';

const recorded = recorder<AccountEvent>(() => 'account');
let transactions = 0;
const transaction = (type: 'AccountDebited' | 'AccountCredited', userId: string, date: string, amount: number) =>
  recorded(type, { transactionId: `tx-${++transactions}`, userId, date, amount, taskId: TASK, taskTitle: 'fix login', description: 'the scanner', at: `${date}T10:00:00.000Z` });

const events = [
  transaction('AccountDebited', ANN, '2026-11-02', 15),
  transaction('AccountCredited', ANN, '2026-11-02', 30),
  transaction('AccountDebited', BOB, '2026-11-02', 12),
  recorded('PayoutMade', { payoutId: 'p1', userId: ANN, date: '2026-11-02', amount: 15, at: '2026-11-03T00:00:00.000Z' }),
  recorded('AccountDayClosed', { userId: ANN, date: '2026-11-02', closingBalance: 0, closedAt: '2026-11-03T00:00:00.000Z' }),
  recorded('AccountDayClosed', { userId: BOB, date: '2026-11-02', closingBalance: -12, closedAt: '2026-11-03T00:00:00.000Z' }),
  recorded('BalanceCarriedIn', { userId: BOB, date: '2026-11-03', fromDate: '2026-11-02', amount: -12 }),
  transaction('AccountCredited', BOB, '2026-11-04', 20),
];

describe('accounts read model', () => {
  const readModel = readModelUnderTest(accountsProjection, { batches: [events] });
  const queries = () => readModel.queries(accountsQueries);

  it('reads the event types of the account streams', () => {
    expect([...accountsProjection.eventTypes].sort()).toEqual(['AccountCredited', 'AccountDayClosed', 'AccountDebited', 'BalanceCarriedIn', 'PayoutMade']);
  });

  it('keeps each balance, the payout included', async () => {
    expect((await queries().balanceNow(ANN, '2026-11-03')).balance).toBe('0');
    expect((await queries().balanceNow(BOB, '2026-11-03')).balance).toBe('8');
    expect((await queries().balanceNow('00000000-0000-4000-8000-000000000000', '2026-11-03')).balance).toBeNull();
    expect((await queries().balances()).map((row) => [row.user_id, Number(row.balance)]).sort()).toEqual([
      [ANN, 0],
      [BOB, 8],
    ]);
  });

  it('lists a day’s debits, credits and payout in log order', async () => {
    const log = await queries().auditLog(ANN, '2026-11-02');
    expect(log.map((row) => [row.kind, Number(row.amount), row.task_title])).toEqual([
      ['debit', 15, 'fix login'],
      ['credit', 30, 'fix login'],
      ['payout', 15, null],
    ]);
    expect(log[2].description).toBe('Payout of the balance of 2026-11-02');
    expect(await queries().auditLog(ANN, '2026-11-03')).toEqual([]);
  });

  it('knows which account days are open, and since when there are any', async () => {
    expect(await queries().earliestDay()).toBe('2026-11-02');
    expect(await queries().userIdsOn('2026-11-02')).toEqual([ANN, BOB]);
    expect(await queries().anyOpenUpTo('2026-11-02')).toBe(false);
    expect(await queries().anyOpenUpTo('2026-11-03')).toBe(true);
    expect(await queries().openDayBefore('2026-11-04')).toBe('2026-11-03');
    expect(await queries().openDayBefore('2026-11-03')).toBeUndefined();
  });

  it('shows a balance carried into a day as that day’s own entry, moving no balance', async () => {
    const log = await queries().auditLog(BOB, '2026-11-03');
    expect(log.map((row) => [row.kind, Number(row.amount), row.task_id, row.task_title, row.description])).toEqual([
      ['carried_in', 12, null, null, 'Balance of 2026-11-02 carried in'],
    ]);
    expect(log[0].at).toEqual(new Date(0));
    expect(await readModel.rows('daily_balances', 'served', 'date')).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ user_id: BOB, date: '2026-11-03' })]),
    );
  });

  it('answers the open billing day: today, or the day after the last closed one', async () => {
    expect((await queries().balanceNow(ANN, '2026-11-01')).openDay).toBe('2026-11-03');
    expect((await queries().balanceNow(ANN, '2026-11-02')).openDay).toBe('2026-11-03');
    expect((await queries().balanceNow(ANN, '2026-11-03')).openDay).toBe('2026-11-03');
    expect((await queries().balanceNow(ANN, '2026-11-05')).openDay).toBe('2026-11-05');
  });

  it('counts the workers in debt on a day from the last balance up to it', async () => {
    expect(await queries().negativeBalancesOn('2026-11-01')).toBe(0);
    expect(await queries().negativeBalancesOn('2026-11-02')).toBe(1);
    expect(await queries().negativeBalancesOn('2026-11-03')).toBe(1);
    expect(await queries().negativeBalancesOn('2026-11-04')).toBe(0);
  });
});

/** Signed as the balance moves: a credit adds, everything else takes away. */
const signed = (row: { kind: string; amount: string }) => (row.kind === 'credit' ? 1 : -1) * Number(row.amount);

describe('accounts read model: a day opened by a carried-in balance', () => {
  const day = (date: string, hour: string) => `${date}T${hour}:00:00.000Z`;
  const carried = { ...recorded('BalanceCarriedIn', { userId: ANN, date: '2026-12-02', fromDate: '2026-12-01', amount: -25 }), recordedAt: new Date(day('2026-12-02', '00')) };
  const log = [
    transaction('AccountDebited', ANN, '2026-12-01', 40),
    transaction('AccountCredited', ANN, '2026-12-01', 15),
    recorded('AccountDayClosed', { userId: ANN, date: '2026-12-01', closingBalance: -25, closedAt: day('2026-12-02', '00') }),
    // Work recorded after the close began but before the carry was written: still after it in the log of the day.
    { ...transaction('AccountCredited', ANN, '2026-12-02', 30), data: { ...transaction('AccountCredited', ANN, '2026-12-02', 30).data, at: '2026-12-01T23:59:59.000Z' } },
    carried,
    transaction('AccountDebited', ANN, '2026-12-02', 10),
  ];
  const readModel = readModelUnderTest(accountsProjection, { generations: ['served', 2], batches: [log] });
  const queries = () => readModel.queries(accountsQueries);

  it('lists the carried-in balance first, and the day’s entries add up to its balance', async () => {
    const entries = await queries().auditLog(ANN, '2026-12-02');
    expect(entries.map((row) => [row.kind, Number(row.amount)])).toEqual([
      ['carried_in', 25],
      ['credit', 30],
      ['debit', 10],
    ]);
    const balance = Number((await queries().balanceNow(ANN, '2026-12-02')).balance);
    expect(balance).toBe(-5);
    expect(entries.reduce((sum, row) => sum + signed(row), 0)).toBe(balance);
    expect((await queries().auditLog(ANN, '2026-12-01')).reduce((sum, row) => sum + signed(row), 0)).toBe(-25);
  });

  it('gives the same rows applied one event at a time', async () => {
    await readModel.applyEachAlone(log, 2);
    const sorted = (rows: Record<string, unknown>[]) => rows.map((row) => JSON.stringify(row)).sort();
    for (const table of ['account_audit_log', 'account_balances', 'account_days', 'daily_balances'] as const) {
      expect(sorted(await readModel.rows(table, 2))).toEqual(sorted(await readModel.rows(table, 'served')));
    }
  });
});

import type { AccountCredited, AccountDebited } from '@app/accounting/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { managementEarningsProjection } from './management-earnings.projection';
import { managementEarningsQueries } from './management-earnings.queries';

type Transaction = AccountDebited | AccountCredited;

const recorded = recorder<Transaction>(() => 'account');
let transactions = 0;
function transaction(type: Transaction['type'], date: string, amount: number) {
  const n = ++transactions;
  const taskId = `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
  return recorded(type, { transactionId: `tx-${n}`, userId: '00000000-0000-4000-8000-00000000a001', date, amount, taskId, taskTitle: 't', description: 'd', at: `${date}T10:00:00.000Z` });
}

const events = [
  transaction('AccountDebited', '2026-11-02', 15),
  transaction('AccountDebited', '2026-11-02', 12),
  transaction('AccountCredited', '2026-11-02', 30),
  transaction('AccountCredited', '2026-11-03', 20),
];

describe('management earnings read model', () => {
  const readModel = readModelUnderTest(managementEarningsProjection, { batches: [events.slice(0, 2), events.slice(2)] });
  const queries = () => readModel.queries(managementEarningsQueries);

  it('reads the debits and credits only', () => {
    expect(managementEarningsProjection.eventTypes).toEqual(['AccountDebited', 'AccountCredited']);
  });

  it('answers a day’s fees, rewards and earnings (fees minus rewards), zeros for a day without any', async () => {
    expect(await queries().on('2026-11-02')).toEqual({ fees: 27, rewards: 30, earnings: -3 });
    expect(await queries().on('2026-11-03')).toEqual({ fees: 0, rewards: 20, earnings: -20 });
    expect(await queries().on('2026-11-04')).toEqual({ fees: 0, rewards: 0, earnings: 0 });
  });
});

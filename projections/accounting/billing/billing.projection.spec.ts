import type { BillingCycleEvent, PayoutEmailEvent } from '@app/accounting/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { billingProjection } from './billing.projection';
import { billingQueries } from './billing.queries';

type BillingEvent = BillingCycleEvent | PayoutEmailEvent;

const ANN = '00000000-0000-4000-8000-00000000a001';
const BOB = '00000000-0000-4000-8000-00000000b001';
const email = (n: number) => `00000000-0000-4000-8000-0000000e000${n}`;

const recorded = recorder<BillingEvent>(() => 'billing');
const requested = (emailId: string, userId: string, amount: number) =>
  recorded('PayoutEmailRequested', {
    emailId,
    payoutId: emailId.replace('e', 'f'),
    userId,
    to: `${userId}@popug.io`,
    subject: `Your payout: ${amount}`,
    text: `paid out: ${amount}`,
    amount,
    date: '2026-11-02',
    requestedAt: '2026-11-03T00:00:01.000Z',
  });

const events = [
  recorded('BillingCycleCloseStarted', { date: '2026-11-02', startedAt: '2026-11-03T00:00:00.000Z' }),
  requested(email(1), ANN, 33),
  requested(email(2), BOB, 7),
  recorded('BillingCycleClosed', { date: '2026-11-02', payouts: 2, total: 40, closedAt: '2026-11-03T00:00:02.000Z' }),
  recorded('PayoutEmailFailed', { emailId: email(1), attempt: 1, error: 'Mailbox busy', failedAt: '2026-11-03T00:00:03.000Z' }),
  recorded('PayoutEmailSent', { emailId: email(1), attempt: 2, sentAt: '2026-11-03T00:00:04.000Z' }),
  recorded('PayoutEmailStoredInOutbox', { emailId: email(2), storedAt: '2026-11-03T00:00:05.000Z' }),
];

describe('billing read model', () => {
  // In two batches, the second starting with a close and an email already requested.
  const readModel = readModelUnderTest(billingProjection, { batches: [events.slice(0, 3), events.slice(3)] });
  const queries = () => readModel.queries(billingQueries);

  it('records each billing cycle’s close', async () => {
    const [cycle] = await readModel.rows('billing_cycles');
    expect(cycle).toMatchObject({ date: '2026-11-02', status: 'closed', payouts: 2, total: '40' });
  });

  it('lists payout emails oldest first with their delivery status, all or one worker’s', async () => {
    const all = await queries().emails();
    expect(all.map((row) => [row.user_id, Number(row.amount), row.status, row.attempts, row.last_error])).toEqual([
      [ANN, 33, 'sent', 2, 'Mailbox busy'],
      [BOB, 7, 'outbox', 0, null],
    ]);
    expect((await queries().emails(BOB)).map((row) => row.email_id)).toEqual([email(2)]);
    expect(await queries().emails('00000000-0000-4000-8000-000000000000')).toEqual([]);
  });
});

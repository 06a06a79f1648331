import type { Knex } from 'knex';
import { createKnex, physicalTable, type Recorded } from '@app/core';
import type { BillingCycleEvent, PayoutEmailEvent } from '@app/accounting/contract';
import { projectionContext } from '../../../test/support/projection-context';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { billingProjection } from './billing.projection';
import { billingQueries } from './billing.queries';

type BillingEvent = BillingCycleEvent | PayoutEmailEvent;

const ANN = '00000000-0000-4000-8000-00000000a001';
const BOB = '00000000-0000-4000-8000-00000000b001';
const email = (n: number) => `00000000-0000-4000-8000-0000000e000${n}`;

let n = 0;
function recorded<E extends BillingEvent>(type: E['type'], data: E['data']): Recorded<BillingEvent> {
  n++;
  const id = `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
  return { id, type, data, metadata: {}, streamName: 'billing', revision: 0n, position: String(n).padStart(20, '0'), recordedAt: new Date(0) } as Recorded<BillingEvent>;
}
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

describe('billing read model', () => {
  let database: TestDatabase;
  let knex: Knex;
  const queries = () => billingQueries.bind({ knex, table: (name) => knex(physicalTable(name, 1)) as never });

  beforeAll(async () => {
    database = await createTestDatabase('billing_projection');
    knex = createKnex(database.url, 2);
    for (const [table, columns] of Object.entries(billingProjection.tables)) await knex.schema.createTable(physicalTable(table, 1), columns);
    const events = [
      recorded('BillingCycleCloseStarted', { date: '2026-11-02', startedAt: '2026-11-03T00:00:00.000Z' }),
      requested(email(1), ANN, 33),
      requested(email(2), BOB, 7),
      recorded('BillingCycleClosed', { date: '2026-11-02', payouts: 2, total: 40, closedAt: '2026-11-03T00:00:02.000Z' }),
      recorded('PayoutEmailFailed', { emailId: email(1), attempt: 1, error: 'Mailbox busy', failedAt: '2026-11-03T00:00:03.000Z' }),
      recorded('PayoutEmailSent', { emailId: email(1), attempt: 2, sentAt: '2026-11-03T00:00:04.000Z' }),
      recorded('PayoutEmailStoredInOutbox', { emailId: email(2), storedAt: '2026-11-03T00:00:05.000Z' }),
    ];
    // In two batches, the second starting with a close and an email already requested.
    await knex.transaction((trx) => billingProjection.apply(events.slice(0, 3), projectionContext(trx, 1)));
    await knex.transaction((trx) => billingProjection.apply(events.slice(3), projectionContext(trx, 1)));
  });

  afterAll(async () => {
    await knex.destroy();
    await database.drop();
  });

  it('records each billing cycle’s close', async () => {
    const [cycle] = await knex(physicalTable('billing_cycles', 1)).select();
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

import type { LedgerPostingApplied, LedgerWebhookDeliveryEvent, LedgerWebhookRegistered } from '@app/ledger/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { deliveryIdOf, webhooksProjection } from './webhooks.projection';
import { webhooksQueries } from './webhooks.queries';

type Event = LedgerWebhookRegistered | LedgerPostingApplied | LedgerWebhookDeliveryEvent;

const record = recorder<Event>();
/** A delivery event at `revision` of its stream, as the log records it. */
const onDelivery = (event: ReturnType<typeof record>, revision: number) => ({ ...event, revision: BigInt(revision) });
const hook = (n: number) => `20000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const posting = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const trace = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const registered = (n: number) => record('LedgerWebhookRegistered', { webhookId: hook(n), url: `http://client-${n}.test/hook`, secret: `secret ${n}`, registeredAt: `2026-11-10T09:00:0${n}.000Z` });
const applied = (n: number) =>
  record('LedgerPostingApplied', { postingId: posting(n), traceKey: trace(n), branch: 'B1', account: 'A1', dateRef: '2026-11-10', appliedAt: `2026-11-10T10:00:0${n}.000Z` });
const key = (w: number, p: number) => ({ deliveryId: deliveryIdOf(hook(w), posting(p)), webhookId: hook(w), traceKey: trace(p) });

const events = [
  applied(1), // before any webhook: delivered to none
  registered(1),
  applied(2),
  registered(2),
  applied(3),
  applied(3), // a redelivered reaction's second record: one delivery still
  onDelivery(record('LedgerWebhookAttemptFailed', { ...key(1, 2), attempt: 1, error: 'HTTP 503', attemptedAt: '2026-11-10T10:00:05.000Z', retryAt: '2026-11-10T10:00:06.000Z' }), 0),
  onDelivery(record('LedgerWebhookDelivered', { ...key(1, 3), attempt: 1, httpStatus: 200, deliveredAt: '2026-11-10T10:00:05.000Z' }), 0),
  onDelivery(record('LedgerWebhookAttemptFailed', { ...key(2, 3), attempt: 1, error: 'HTTP 400', attemptedAt: '2026-11-10T10:00:05.000Z', retryAt: null }), 0),
  onDelivery(record('LedgerWebhookRetryRequested', { ...key(2, 3), requestedAt: '2026-11-10T10:00:09.000Z' }), 1),
];

const view = (queries: ReturnType<typeof webhooksQueries.bind>, w: number) =>
  queries.deliveries(hook(w), { limit: 100 }).then((rows) =>
    rows.map((r) => ({ traceKey: r.trace_key, status: r.status, attempts: r.attempts, lastError: r.last_error, lastAttemptAt: r.last_attempt_at?.toISOString() ?? null, next: r.next_attempt_at?.toISOString() ?? null })),
  );

const expected = {
  1: [
    { traceKey: trace(2), status: 'pending', attempts: 1, lastError: 'HTTP 503', lastAttemptAt: '2026-11-10T10:00:05.000Z', next: '2026-11-10T10:00:06.000Z' },
    { traceKey: trace(3), status: 'delivered', attempts: 1, lastError: null, lastAttemptAt: '2026-11-10T10:00:05.000Z', next: null },
  ],
  // Registered after posting 2 was applied; its failed delivery was retried by hand: pending again, due at the request, keeping the last attempt's error.
  2: [{ traceKey: trace(3), status: 'pending', attempts: 1, lastError: 'HTTP 400', lastAttemptAt: '2026-11-10T10:00:05.000Z', next: '2026-11-10T10:00:09.000Z' }],
};

describe('ledger webhooks read model', () => {
  describe('in one batch', () => {
    const readModel = readModelUnderTest(webhooksProjection, { batches: [events] });
    const queries = () => readModel.queries(webhooksQueries);

    it('gives each webhook the postings applied after it was registered, once each, with each delivery’s outcome', async () => {
      expect(await view(queries(), 1)).toEqual(expected[1]);
      expect(await view(queries(), 2)).toEqual(expected[2]);
      expect((await queries().all()).map((w) => [w.webhook_id, w.url])).toEqual([
        [hook(1), 'http://client-1.test/hook'],
        [hook(2), 'http://client-2.test/hook'],
      ]);
    });

    it('keeps no secret in a table', async () => {
      const everything = JSON.stringify([await readModel.rows('ledger_webhooks'), await readModel.rows('ledger_webhook_deliveries')]);
      expect(everything).not.toContain('secret');
    });

    it('lists the due deliveries of a webhook, by when they are due', async () => {
      expect((await queries().due(hook(1), new Date('2026-11-10T10:00:05.999Z'), 10)).map((d) => d.trace_key)).toEqual([]);
      expect((await queries().due(hook(1), new Date('2026-11-10T10:00:06.000Z'), 10)).map((d) => d.trace_key)).toEqual([trace(2)]);
      expect((await queries().due(hook(2), new Date('2026-11-10T10:00:09.000Z'), 10)).map((d) => d.version)).toEqual([1]);
      expect((await queries().deliveries(hook(1), { status: 'delivered', limit: 10 })).map((d) => d.trace_key)).toEqual([trace(3)]);
    });
  });

  describe('one event per batch', () => {
    const readModel = readModelUnderTest(webhooksProjection);

    it('gives the same deliveries as one batch', async () => {
      await readModel.applyEachAlone(events);
      const queries = readModel.queries(webhooksQueries);
      expect(await view(queries, 1)).toEqual(expected[1]);
      expect(await view(queries, 2)).toEqual(expected[2]);
    });
  });
});

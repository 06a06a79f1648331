import { spec } from '@app/core/testing/given-when-then';
import type { LedgerWebhookAttemptFailed, LedgerWebhookDelivered, LedgerWebhookRetryRequested } from '../contract/ledger.events';
import { LedgerWebhookDeliveryDelivered } from './ledger.errors';
import { type AttemptOutcome, deliveryDecider, type RecordDeliveryAttempt, retryDelayMs, webhookDecider } from './webhook.decider';

const key = { deliveryId: 'd-1', webhookId: 'w-1', traceKey: '7b0c3a52-5d8e-4f43-9a43-1a8d3c1b2f10' };
const policy = { maxAttempts: 3, baseMs: 1000, maxMs: 3000 };
const at = '2026-11-02T09:00:00.000Z';
const attempt = (outcome: AttemptOutcome, jitter = 0): RecordDeliveryAttempt => ({ type: 'RecordDeliveryAttempt', data: { ...key, attemptedAt: at, outcome, policy, jitter } });
const unavailable: AttemptOutcome = { delivered: false, error: 'HTTP 503', retryable: true, retryAfterMs: null };
const failed = (n: number, retryAt: string | null, error = 'HTTP 503'): LedgerWebhookAttemptFailed => ({
  type: 'LedgerWebhookAttemptFailed',
  data: { ...key, attempt: n, error, attemptedAt: at, retryAt },
});
const delivered = (n: number): LedgerWebhookDelivered => ({ type: 'LedgerWebhookDelivered', data: { ...key, attempt: n, httpStatus: 200, deliveredAt: at } });
const retryRequested: LedgerWebhookRetryRequested = { type: 'LedgerWebhookRetryRequested', data: { ...key, requestedAt: at } };

describe('webhook decider', () => {
  it('registers a webhook once', () => {
    const registered = { type: 'LedgerWebhookRegistered' as const, data: { webhookId: 'w-1', url: 'http://receiver.test/hook', secret: 's3cret', registeredAt: at } };
    spec(webhookDecider).given([]).when({ type: 'RegisterWebhook', data: registered.data }).then([registered]);
    spec(webhookDecider).given([registered]).when({ type: 'RegisterWebhook', data: registered.data }).then([]);
  });
});

describe('webhook delivery decider', () => {
  it('records the first 2xx as delivered, with the number of its attempt', () => {
    spec(deliveryDecider).given([]).when(attempt({ delivered: true, httpStatus: 200 })).then([delivered(1)]);
    spec(deliveryDecider).given([failed(1, '2026-11-02T09:00:01.000Z')]).when(attempt({ delivered: true, httpStatus: 204 })).then([
      { type: 'LedgerWebhookDelivered', data: { ...key, attempt: 2, httpStatus: 204, deliveredAt: at } },
    ]);
  });

  it('schedules a retryable failure again, after a delay that doubles per attempt up to the most', () => {
    // jitter 0: the lower half of the ceiling; the ceilings are 1 s, 2 s, then 3 s (the most).
    spec(deliveryDecider).given([]).when(attempt(unavailable)).then([failed(1, '2026-11-02T09:00:00.500Z')]);
    spec(deliveryDecider).given([failed(1, at)]).when(attempt(unavailable)).then([failed(2, '2026-11-02T09:00:01.000Z')]);
    expect(retryDelayMs(3, policy, 0, null)).toBe(1500);
    expect(retryDelayMs(9, policy, 0.999, null)).toBeLessThanOrEqual(3000);
    expect(retryDelayMs(9, policy, 0.5, null)).toBe(2250);
  });

  it('waits at least what the receiver’s Retry-After asks, and no less than its own backoff', () => {
    spec(deliveryDecider)
      .given([])
      .when(attempt({ delivered: false, error: 'HTTP 429', retryable: true, retryAfterMs: 7000 }))
      .then([failed(1, '2026-11-02T09:00:07.000Z', 'HTTP 429')]);
    // Retry-After: 0 does not make retries faster than the backoff.
    spec(deliveryDecider)
      .given([])
      .when(attempt({ delivered: false, error: 'HTTP 503', retryable: true, retryAfterMs: 0 }))
      .then([failed(1, '2026-11-02T09:00:00.500Z')]);
  });

  it('makes the delivery a dead letter after the last allowed attempt', () => {
    spec(deliveryDecider).given([failed(1, at), failed(2, at)]).when(attempt(unavailable)).then([failed(3, null)]);
    expect(deliveryDecider.evolve({ status: 'pending', attempts: 2, retryRequestedAt: null }, failed(3, null))).toEqual({ status: 'failed', attempts: 3, retryRequestedAt: null });
  });

  it('fails at once on an answer that retrying cannot change', () => {
    spec(deliveryDecider)
      .given([])
      .when(attempt({ delivered: false, error: 'HTTP 410', retryable: false, retryAfterMs: null }))
      .then([failed(1, null, 'HTTP 410')]);
  });

  it('records nothing for an attempt reported after the delivery was delivered', () => {
    spec(deliveryDecider).given([delivered(1)]).when(attempt(unavailable)).then([]);
    spec(deliveryDecider).given([delivered(1)]).when(attempt({ delivered: true, httpStatus: 200 })).then([]);
  });

  it('lets an operator retry a failed or pending delivery, for one more attempt', () => {
    const retry = { type: 'RequestDeliveryRetry' as const, data: { ...key, requestedAt: at } };
    spec(deliveryDecider).given([failed(1, null, 'HTTP 400')]).when(retry).then([retryRequested]);
    spec(deliveryDecider).given([failed(1, at)]).when(retry).then([retryRequested]);
    // A dead letter retried by hand that fails again is a dead letter again, however retryable the failure.
    spec(deliveryDecider).given([failed(1, at), failed(2, at), failed(3, null), retryRequested]).when(attempt(unavailable)).then([failed(4, null)]);
    spec(deliveryDecider).given([failed(1, null, 'HTTP 400'), retryRequested]).when(attempt({ delivered: true, httpStatus: 200 })).then([
      { type: 'LedgerWebhookDelivered', data: { ...key, attempt: 2, httpStatus: 200, deliveredAt: at } },
    ]);
  });

  it('keeps an operator’s retry asked while an attempt was in flight: that attempt failing leaves the delivery due at once', () => {
    const during = { type: 'LedgerWebhookRetryRequested' as const, data: { ...key, requestedAt: '2026-11-02T09:00:00.300Z' } };
    // The attempt began at 09:00:00 (`at`); the retry was asked at 09:00:00.300, before its outcome was recorded.
    spec(deliveryDecider).given([failed(1, at), during]).when(attempt(unavailable)).then([failed(2, '2026-11-02T09:00:00.300Z')]);
    // The attempt the retry itself caused (begun after it) failing is an ordinary failure.
    const before = { type: 'LedgerWebhookRetryRequested' as const, data: { ...key, requestedAt: '2026-11-02T08:59:59.000Z' } };
    spec(deliveryDecider).given([failed(1, at), before]).when(attempt(unavailable)).then([failed(2, '2026-11-02T09:00:01.000Z')]);
  });

  it('refuses to retry a delivered delivery', () => {
    spec(deliveryDecider).given([delivered(1)]).when({ type: 'RequestDeliveryRetry', data: { ...key, requestedAt: at } }).thenThrows(LedgerWebhookDeliveryDelivered);
  });
});

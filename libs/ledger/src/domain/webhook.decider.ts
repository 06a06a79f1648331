import { assertNever, type Decider } from '@app/core/domain';
import type { DeliveryKey, LedgerWebhookDeliveryEvent, LedgerWebhookRegistered } from '../contract/ledger.events';
import { LedgerWebhookDeliveryDelivered } from './ledger.errors';

export type RegisterWebhook = { type: 'RegisterWebhook'; data: { webhookId: string; url: string; secret: string; registeredAt: string } };

export type WebhookState = { status: 'none' } | { status: 'registered'; webhookId: string; url: string; secret: string };

/** One webhook, in stream `ledger-webhook-<webhookId>`: its URL and signing secret. Registering is appended to a new stream, so an id is used once. */
export const webhookDecider: Decider<RegisterWebhook, LedgerWebhookRegistered, WebhookState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    if (state.status === 'registered') return [];
    return [{ type: 'LedgerWebhookRegistered', data: { ...command.data } }];
  },

  evolve(_state, event) {
    const { webhookId, url, secret } = event.data;
    return { status: 'registered', webhookId, url, secret };
  },
};

export function webhookStream(webhookId: string): string {
  return `ledger-webhook-${webhookId}`;
}

/** How one attempt ended, as the delivering process saw it. */
export type AttemptOutcome =
  | { delivered: true; httpStatus: number }
  /**
   * `retryable`: a 408, 429, 5xx, a timeout or no answer. `retryAfterMs`: what the receiver's
   * Retry-After asked for, null for none.
   */
  | { delivered: false; error: string; retryable: boolean; retryAfterMs: number | null };

/** When the next attempt of a delivery is due: exponential from `baseMs`, at most `maxMs`. */
export type RetryPolicy = { maxAttempts: number; baseMs: number; maxMs: number };

export type RecordDeliveryAttempt = {
  type: 'RecordDeliveryAttempt';
  /** `jitter` in [0, 1): drawn by the handler, so the decision is a function of its input. */
  data: DeliveryKey & { attemptedAt: string; outcome: AttemptOutcome; policy: RetryPolicy; jitter: number };
};

export type RequestDeliveryRetry = { type: 'RequestDeliveryRetry'; data: DeliveryKey & { requestedAt: string } };

export type DeliveryCommand = RecordDeliveryAttempt | RequestDeliveryRetry;

/** `retryRequestedAt`: when an operator last asked for it again, since its last recorded attempt. */
export type DeliveryState = { status: 'pending' | 'delivered' | 'failed'; attempts: number; retryRequestedAt: string | null };

/**
 * The delay before attempt `attempt + 1` after attempt `attempt` failed: `baseMs` doubled per
 * attempt up to `maxMs`, the upper half of it drawn by `jitter` (so receivers that failed together
 * are not all retried in the same instant); never sooner than a receiver's Retry-After asks (a
 * longer one is waited out in full, a shorter one does not make retries faster than the backoff).
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, jitter: number, retryAfterMs: number | null): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.max(Math.round(ceiling / 2 + (ceiling / 2) * jitter), retryAfterMs ?? 0);
}

/**
 * One delivery of one applied posting to one webhook, in stream `ledger-webhook-delivery-<deliveryId>`.
 * It starts pending with no attempt (no event: the webhook's registration and the posting's
 * application made it). Each attempt is recorded with its number; a failed one either schedules
 * the next (`retryAt`) or, after a 4xx other than 408/429 or on the last allowed attempt, makes the
 * delivery `failed`, a dead letter. An attempt reported after the delivery was delivered (a second
 * process that sent it too, before it saw the first's outcome) records nothing. A manual retry
 * makes a pending or failed delivery due at once, for one more attempt (one that had used its
 * attempts and fails again is failed again); asked while an attempt was in flight, it still holds:
 * that attempt failing leaves the delivery due at once. A delivered one cannot be retried.
 */
export const deliveryDecider: Decider<DeliveryCommand, LedgerWebhookDeliveryEvent, DeliveryState> = {
  initialState: () => ({ status: 'pending', attempts: 0, retryRequestedAt: null }),

  decide(command, state) {
    const { deliveryId, webhookId, traceKey } = command.data;
    const key = { deliveryId, webhookId, traceKey };
    switch (command.type) {
      case 'RecordDeliveryAttempt': {
        if (state.status === 'delivered') return [];
        const { attemptedAt, outcome, policy, jitter } = command.data;
        const attempt = state.attempts + 1;
        if (outcome.delivered) return [{ type: 'LedgerWebhookDelivered', data: { ...key, attempt, httpStatus: outcome.httpStatus, deliveredAt: attemptedAt } }];
        // An operator's retry asked after this attempt began (while it was in flight) is one more attempt, now.
        const { retryRequestedAt } = state;
        if (retryRequestedAt !== null && retryRequestedAt > attemptedAt) {
          return [{ type: 'LedgerWebhookAttemptFailed', data: { ...key, attempt, error: outcome.error, attemptedAt, retryAt: retryRequestedAt } }];
        }
        const again = outcome.retryable && attempt < policy.maxAttempts;
        const retryAt = again ? new Date(Date.parse(attemptedAt) + retryDelayMs(attempt, policy, jitter, outcome.retryAfterMs)).toISOString() : null;
        return [{ type: 'LedgerWebhookAttemptFailed', data: { ...key, attempt, error: outcome.error, attemptedAt, retryAt } }];
      }
      case 'RequestDeliveryRetry':
        if (state.status === 'delivered') throw new LedgerWebhookDeliveryDelivered(deliveryId);
        return [{ type: 'LedgerWebhookRetryRequested', data: { ...key, requestedAt: command.data.requestedAt } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'LedgerWebhookDelivered':
        return { status: 'delivered', attempts: event.data.attempt, retryRequestedAt: null };
      case 'LedgerWebhookAttemptFailed':
        return { status: event.data.retryAt === null ? 'failed' : 'pending', attempts: event.data.attempt, retryRequestedAt: null };
      case 'LedgerWebhookRetryRequested':
        return { ...state, status: 'pending', retryRequestedAt: event.data.requestedAt };
      default:
        return assertNever(event);
    }
  },
};

export function deliveryStream(deliveryId: string): string {
  return `ledger-webhook-delivery-${deliveryId}`;
}

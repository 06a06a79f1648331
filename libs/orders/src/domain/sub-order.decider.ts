import { assertNever, type Decider } from '@app/core/domain';
import type { ProviderStatus, SubOrderEvent, SubOrderStatus, UpdateSource } from '../contract/orders.events';
import { FINAL, moves } from './sub-order-status';

export interface SubOrderState {
  subOrderId: string | null;
  orderId: string | null;
  providerId: string | null;
  status: SubOrderStatus;
  providerRef: string | null;
  /** Calls made to the provider (submits, then cancels), and the last one's error while it failed. */
  attempts: number;
  lastError: string | null;
  submitAttempts: number;
  cancelAttempts: number;
  /** Provider event ids recorded (an update with one of these again is a repeat). */
  eventIds: ReadonlySet<string>;
  updatedAt: string | null;
}

type Ids = { subOrderId: string; orderId: string; providerId: string };

export type SubOrderCommand =
  | { type: 'RecordSubmitted'; data: Ids & { providerRef: string; at: string } }
  | { type: 'RecordSubmitFailed'; data: Ids & { error: string; at: string } }
  | { type: 'ReportStatus'; data: Ids & { eventId: string; status: ProviderStatus; at: string; source: UpdateSource; receivedAt: string } }
  | { type: 'TimeOut'; data: Ids & { at: string } }
  | { type: 'RecordCancelFailed'; data: Ids & { error: string; at: string } }
  | { type: 'RecordCancelled'; data: Ids & { at: string } };

export function subOrderStream(subOrderId: string): string {
  return `orders-suborder-${subOrderId}`;
}

export const SUB_ORDER_INITIAL: SubOrderState = {
  subOrderId: null,
  orderId: null,
  providerId: null,
  status: 'pending',
  providerRef: null,
  attempts: 0,
  lastError: null,
  submitAttempts: 0,
  cancelAttempts: 0,
  eventIds: new Set(),
  updatedAt: null,
};

/**
 * One provider's part of an order, in its own stream: the calls to the provider (each attempt
 * recorded, failures too, so a stuck integration shows), and the statuses the provider reports,
 * once per provider event id. A status that would move it backwards is recorded as ignored.
 */
export const subOrderDecider: Decider<SubOrderCommand, SubOrderEvent, SubOrderState> = {
  initialState: () => SUB_ORDER_INITIAL,
  decide(command, state) {
    const { subOrderId, orderId, providerId } = command.data;
    const ids = { subOrderId, orderId, providerId };
    switch (command.type) {
      case 'RecordSubmitted':
        // A submit answered twice (a retry of one that had gone through) keeps the first reference.
        if (state.providerRef !== null) return [];
        return [{ type: 'SubOrderSubmitted', data: { ...ids, providerRef: command.data.providerRef, attempt: state.submitAttempts + 1, submittedAt: command.data.at } }];
      case 'RecordSubmitFailed':
        if (state.providerRef !== null) return [];
        return [{ type: 'SubOrderSubmitFailed', data: { ...ids, attempt: state.submitAttempts + 1, error: command.data.error, failedAt: command.data.at } }];
      case 'ReportStatus': {
        const { eventId, status, at, source, receivedAt } = command.data;
        if (state.eventIds.has(eventId)) return [];
        return [{ type: 'SubOrderStatusReported', data: { ...ids, eventId, status, at, source, receivedAt, ignored: !moves(state.status, status) } }];
      }
      case 'TimeOut':
        return state.status === 'pending' ? [{ type: 'SubOrderTimedOut', data: { ...ids, timedOutAt: command.data.at } }] : [];
      case 'RecordCancelFailed':
        if (state.status === 'cancelled') return [];
        return [{ type: 'SubOrderCancelFailed', data: { ...ids, attempt: state.cancelAttempts + 1, error: command.data.error, failedAt: command.data.at } }];
      case 'RecordCancelled':
        if (state.status === 'cancelled') return [];
        return [{ type: 'SubOrderCancelled', data: { ...ids, attempt: state.cancelAttempts + 1, cancelledAt: command.data.at } }];
      default:
        return assertNever(command);
    }
  },
  evolve(current, event) {
    const { subOrderId, orderId, providerId } = event.data;
    const state = { ...current, subOrderId, orderId, providerId };
    switch (event.type) {
      case 'SubOrderSubmitted':
        return { ...state, providerRef: event.data.providerRef, submitAttempts: event.data.attempt, attempts: state.attempts + 1, lastError: null, updatedAt: event.data.submittedAt };
      case 'SubOrderSubmitFailed':
        return { ...state, submitAttempts: event.data.attempt, attempts: state.attempts + 1, lastError: event.data.error, updatedAt: event.data.failedAt };
      case 'SubOrderStatusReported': {
        const eventIds = new Set(state.eventIds).add(event.data.eventId);
        if (event.data.ignored) return { ...state, eventIds };
        return { ...state, eventIds, status: event.data.status, updatedAt: event.data.receivedAt };
      }
      case 'SubOrderTimedOut':
        return { ...state, status: 'timed_out', updatedAt: event.data.timedOutAt };
      case 'SubOrderCancelFailed':
        return { ...state, cancelAttempts: event.data.attempt, attempts: state.attempts + 1, lastError: event.data.error, updatedAt: event.data.failedAt };
      case 'SubOrderCancelled':
        return { ...state, status: 'cancelled', cancelAttempts: event.data.attempt, attempts: state.attempts + 1, lastError: null, updatedAt: event.data.cancelledAt };
      default:
        return assertNever(event);
    }
  },
};

/** Whether nothing more happens to a sub-order in that status (delivered, rejected, timed out, cancelled). */
export function isFinal(status: SubOrderStatus): boolean {
  return FINAL.includes(status);
}

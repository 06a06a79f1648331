import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AsWorkflow, type ScheduledTimer, type TimerFired, type Workflow, type WorkflowDecision, type WorkflowEvent } from '@app/core';
import { assertNever } from '@app/core/domain';
import type { AdapterKind, OrderCancelled, OrderEvent, SubOrderEvent, SubOrderStatus } from '../../contract/orders.events';
import { ORDERS_CONFIG, type OrdersConfig } from '../orders.config';
import {
  CancelSubOrderCommand,
  CompleteCancellationCommand,
  type FulfilmentCommand,
  PollSubOrderCommand,
  SubmitSubOrderCommand,
  TimeOutSubOrderCommand,
} from './fulfilment.commands';

type Reason = OrderCancelled['data']['reason'];

/** A timer of the workflow: `<kind>:<subOrderId>`. */
export type FulfilmentTimer = TimerFired<string, null>;

export interface SubOrderTrack {
  adapter: AdapterKind;
  status: SubOrderStatus;
  submitted: boolean;
  /** Compensation wants it cancelled at the provider (and it is not yet). */
  cancelWanted: boolean;
}

export interface FulfilmentState {
  orderId: string | null;
  subs: Readonly<Record<string, SubOrderTrack>>;
  compensating: Reason | null;
  cancelled: boolean;
}

type FulfilmentInput = OrderEvent | SubOrderEvent;

const STARTED: FulfilmentState = { orderId: null, subs: {}, compensating: null, cancelled: false };

/** Statuses a compensation does not cancel: nothing is left at the provider. */
const NOTHING_TO_CANCEL: readonly SubOrderStatus[] = ['rejected', 'cancelled', 'delivered'];

function at(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

/**
 * The order's life, one instance per order, every step an event: it submits each sub-order (a
 * failed submit is retried with backoff), sets the provider's accept deadline (a sub-order still
 * pending then is timed out), polls the http providers whose callbacks are late, and when a
 * sub-order is rejected or times out or the customer cancels, compensates: every other sub-order
 * still at a provider (and a timed-out one, which may have accepted late) is cancelled through
 * its adapter, retried with backoff until the provider confirms, and then the order is cancelled.
 * `decide` and `evolve` are pure: backoff and its jitter are derived from the ids and attempts, so
 * a replay decides the same. Its commands are idempotent (the sub-order's stream records each
 * outcome once), so a redelivered event or a take-over after a crash repeats no effect.
 */
@Injectable()
@AsWorkflow<FulfilmentInput>({
  name: 'orders-fulfilment',
  eventTypes: [
    'OrderPlaced',
    'OrderCancelRequested',
    'OrderCancelled',
    'SubOrderSubmitted',
    'SubOrderSubmitFailed',
    'SubOrderStatusReported',
    'SubOrderTimedOut',
    'SubOrderCancelFailed',
    'SubOrderCancelled',
  ],
  keyOf: (event) => event.data.orderId,
  emits: ['SubOrderSubmitted', 'SubOrderSubmitFailed', 'SubOrderStatusReported', 'SubOrderTimedOut', 'SubOrderCancelFailed', 'SubOrderCancelled', 'OrderCancelled'],
})
export class FulfilmentWorkflow implements Workflow<FulfilmentInput, FulfilmentState, FulfilmentCommand, FulfilmentTimer> {
  constructor(@Inject(ORDERS_CONFIG) private readonly config: Pick<OrdersConfig, 'retryBaseMs' | 'retryMaxMs' | 'pollAfterMs'>) {}

  initialState(): FulfilmentState {
    return STARTED;
  }

  decide(event: WorkflowEvent<FulfilmentInput, FulfilmentTimer>, state: FulfilmentState): WorkflowDecision<FulfilmentCommand> {
    switch (event.type) {
      case 'OrderPlaced': {
        const { orderId, subOrders, placedAt } = event.data;
        return {
          commands: subOrders.map((sub) => new SubmitSubOrderCommand(orderId, sub.subOrderId)),
          schedule: subOrders.map((sub) => ({ id: `accept:${sub.subOrderId}`, at: at(placedAt, sub.acceptTimeoutSeconds * 1000) })),
        };
      }
      case 'SubOrderSubmitFailed': {
        const { orderId, subOrderId, attempt, failedAt } = event.data;
        // While compensating a failed submit is not retried: the cancel of the sub-order settles it.
        if (state.cancelled || state.compensating) return {};
        return { schedule: [{ id: `submit:${subOrderId}`, at: at(failedAt, this.backoff(subOrderId, attempt)) }] };
      }
      case 'SubOrderSubmitted': {
        const { subOrderId, submittedAt } = event.data;
        return state.subs[subOrderId]?.adapter === 'http' && !state.compensating ? { schedule: [this.poll(subOrderId, submittedAt)] } : {};
      }
      case 'SubOrderStatusReported': {
        const { orderId, subOrderId, status, ignored, receivedAt } = event.data;
        if (ignored) return {};
        const cancel = [`accept:${subOrderId}`];
        if (status === 'rejected') {
          // Rejected while a compensation was cancelling it: nothing is left at the provider, so it counts as settled.
          const settled = state.compensating ? this.settled(state, orderId, subOrderId) : this.compensate(state, orderId, 'rejected', subOrderId);
          return { cancel: [...cancel, `poll:${subOrderId}`], ...settled };
        }
        if (status === 'delivered') return { cancel: [...cancel, `poll:${subOrderId}`] };
        return { cancel, schedule: state.subs[subOrderId]?.adapter === 'http' ? [this.poll(subOrderId, receivedAt)] : [] };
      }
      case 'SubOrderTimedOut':
        return { cancel: [`poll:${event.data.subOrderId}`], ...this.compensate(state, event.data.orderId, 'timed_out') };
      case 'OrderCancelRequested':
        return this.compensate(state, event.data.orderId, 'customer');
      case 'SubOrderCancelFailed': {
        const { subOrderId, attempt, failedAt } = event.data;
        return { schedule: [{ id: `cancel:${subOrderId}`, at: at(failedAt, this.backoff(subOrderId, attempt)) }] };
      }
      case 'SubOrderCancelled': {
        const { orderId, subOrderId } = event.data;
        return { cancel: [`poll:${subOrderId}`, `cancel:${subOrderId}`, `accept:${subOrderId}`], ...this.settled(state, orderId, subOrderId) };
      }
      case 'OrderCancelled':
        return { cancel: Object.keys(state.subs).flatMap((id) => [`accept:${id}`, `submit:${id}`, `cancel:${id}`, `poll:${id}`]) };
      case 'WorkflowTimerFired':
        return this.onTimer(event.data.timerId, event.data.firedAt, state);
      case 'WorkflowStarted':
        return {};
      default:
        return assertNever(event);
    }
  }

  evolve(state: FulfilmentState, event: WorkflowEvent<FulfilmentInput, FulfilmentTimer>): FulfilmentState {
    switch (event.type) {
      case 'OrderPlaced':
        return {
          ...state,
          orderId: event.data.orderId,
          subs: Object.fromEntries(event.data.subOrders.map((sub) => [sub.subOrderId, { adapter: sub.adapter, status: 'pending', submitted: false, cancelWanted: false }])),
        };
      case 'SubOrderSubmitted':
        return this.withSub(state, event.data.subOrderId, { submitted: true });
      case 'SubOrderSubmitFailed':
        return state;
      case 'SubOrderStatusReported': {
        if (event.data.ignored) return state;
        if (event.data.status !== 'rejected') return this.withSub(state, event.data.subOrderId, { status: event.data.status });
        return this.startCompensation(this.withSub(state, event.data.subOrderId, { status: 'rejected', cancelWanted: false }), 'rejected');
      }
      case 'SubOrderTimedOut':
        return this.startCompensation(this.withSub(state, event.data.subOrderId, { status: 'timed_out' }), 'timed_out');
      case 'OrderCancelRequested':
        return this.startCompensation(state, 'customer');
      case 'SubOrderCancelFailed':
        return state;
      case 'SubOrderCancelled':
        return this.withSub(state, event.data.subOrderId, { status: 'cancelled', cancelWanted: false });
      case 'OrderCancelled':
        return { ...state, cancelled: true };
      case 'WorkflowTimerFired':
      case 'WorkflowStarted':
        return state;
      default:
        return assertNever(event);
    }
  }

  private onTimer(timerId: string, firedAt: string, state: FulfilmentState): WorkflowDecision<FulfilmentCommand> {
    const [kind, subOrderId] = timerId.split(':');
    const sub = state.subs[subOrderId];
    if (!sub || !state.orderId || state.cancelled) return {};
    switch (kind) {
      case 'accept':
        return sub.status === 'pending' ? { commands: [new TimeOutSubOrderCommand(state.orderId, subOrderId)] } : {};
      case 'submit':
        return !sub.submitted && !state.compensating ? { commands: [new SubmitSubOrderCommand(state.orderId, subOrderId)] } : {};
      case 'cancel':
        return sub.cancelWanted ? { commands: [new CancelSubOrderCommand(state.orderId, subOrderId)] } : {};
      case 'poll':
        return NOTHING_TO_CANCEL.includes(sub.status) || sub.status === 'timed_out'
          ? {}
          : { commands: [new PollSubOrderCommand(state.orderId, subOrderId)], schedule: [this.poll(subOrderId, firedAt)] };
      default:
        return {};
    }
  }

  /** `subOrderId` no longer needs a cancel: when no other does either, the compensation is done. */
  private settled(state: FulfilmentState, orderId: string, subOrderId: string): WorkflowDecision<FulfilmentCommand> {
    const rest = Object.entries(state.subs).filter(([id, sub]) => id !== subOrderId && sub.cancelWanted);
    return state.compensating && !state.cancelled && rest.length === 0 ? { commands: [new CompleteCancellationCommand(orderId, state.compensating)] } : {};
  }

  /** The sub-orders a compensation starting now cancels: all still at a provider, a timed-out one too. */
  private toCancel(state: FulfilmentState): string[] {
    return Object.entries(state.subs)
      .filter(([, sub]) => !NOTHING_TO_CANCEL.includes(sub.status))
      .map(([id]) => id);
  }

  private compensate(state: FulfilmentState, orderId: string, reason: Reason, rejected?: string): WorkflowDecision<FulfilmentCommand> {
    if (state.compensating || state.cancelled) return {};
    const cancel = this.toCancel(state).filter((id) => id !== rejected);
    if (cancel.length === 0) return { commands: [new CompleteCancellationCommand(orderId, reason)] };
    // One not submitted yet is cancelled too: its cancel first makes sure of its reference (the submit is idempotent at the provider).
    return { commands: cancel.map((id) => new CancelSubOrderCommand(orderId, id)) };
  }

  private startCompensation(state: FulfilmentState, reason: Reason): FulfilmentState {
    if (state.compensating || state.cancelled) return state;
    const cancel = new Set(this.toCancel(state));
    return {
      ...state,
      compensating: reason,
      subs: Object.fromEntries(Object.entries(state.subs).map(([id, sub]) => [id, { ...sub, cancelWanted: cancel.has(id) }])),
    };
  }

  private withSub(state: FulfilmentState, subOrderId: string, change: Partial<SubOrderTrack>): FulfilmentState {
    const sub = state.subs[subOrderId];
    return sub ? { ...state, subs: { ...state.subs, [subOrderId]: { ...sub, ...change } } } : state;
  }

  private poll(subOrderId: string, from: string): ScheduledTimer {
    return { id: `poll:${subOrderId}`, at: at(from, this.config.pollAfterMs) };
  }

  /** Exponential backoff with jitter (up to a quarter more), derived from the sub-order and the attempt so a replay waits the same. */
  private backoff(subOrderId: string, attempt: number): number {
    const base = Math.min(this.config.retryMaxMs, this.config.retryBaseMs * 2 ** Math.max(0, attempt - 1));
    const jitter = createHash('sha1').update(`${subOrderId}:${attempt}`).digest().readUInt16BE(0) / 65_535;
    return Math.round(base * (1 + jitter / 4));
  }
}

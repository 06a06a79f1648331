import { recorded, timerFired, workflowSpec } from '@app/core/workflows/workflow-spec';
import type { WorkflowEvent } from '@app/core';
import type {
  AdapterKind,
  OrderCancelled,
  OrderCancelRequested,
  OrderEvent,
  OrderPlaced,
  ProviderStatus,
  SubOrderCancelFailed,
  SubOrderCancelled,
  SubOrderEvent,
  SubOrderStatusReported,
  SubOrderSubmitFailed,
  SubOrderSubmitted,
  SubOrderTimedOut,
} from '../../contract/orders.events';
import {
  CancelSubOrderCommand,
  CompleteCancellationCommand,
  PollSubOrderCommand,
  SubmitSubOrderCommand,
  TimeOutSubOrderCommand,
} from './fulfilment.commands';
import { FulfilmentWorkflow } from './fulfilment.workflow';

const config = { retryBaseMs: 1000, retryMaxMs: 8000, pollAfterMs: 30_000 };
const workflow = new FulfilmentWorkflow(config);
const fulfilment = workflowSpec(workflow);

const orderId = '0d000000-0000-4000-8000-000000000001';
const customerId = 'c0000000-0000-4000-8000-00000000000a';
/** s1 and s2 are simulated (accept within 60 s), s3 is http (within 30 s). */
const s1 = '5b000000-0000-4000-8000-000000000001';
const s2 = '5b000000-0000-4000-8000-000000000002';
const s3 = '5b000000-0000-4000-8000-000000000003';
const providerOf: Record<string, string> = { [s1]: 'a1000000-0000-4000-8000-000000000001', [s2]: 'a1000000-0000-4000-8000-000000000002', [s3]: 'a1000000-0000-4000-8000-000000000003' };
const placedAt = '2027-02-01T10:00:00.000Z';
const t1 = '2027-02-01T10:00:05.000Z';
const t2 = '2027-02-01T10:00:10.000Z';

function plusMs(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

function placedWith(subs: [string, AdapterKind, number][]): OrderPlaced {
  return {
    type: 'OrderPlaced',
    data: {
      orderId,
      customerId,
      deliveryAddress: 'Penguin Lane 4',
      items: subs.map(([id]) => ({ providerId: providerOf[id], sku: 'a', name: 'A', priceCents: 250, quantity: 1 })),
      totalCents: 250 * subs.length,
      subOrders: subs.map(([subOrderId, adapter, acceptTimeoutSeconds]) => ({
        subOrderId,
        providerId: providerOf[subOrderId],
        providerName: `P ${subOrderId.slice(-1)}`,
        adapter,
        acceptTimeoutSeconds,
        items: [{ providerId: providerOf[subOrderId], sku: 'a', name: 'A', priceCents: 250, quantity: 1 }],
      })),
      placedAt,
    },
  };
}

const placed = placedWith([
  [s1, 'simulated', 60],
  [s2, 'simulated', 60],
  [s3, 'http', 30],
]);
const ids = (subOrderId: string) => ({ subOrderId, orderId, providerId: providerOf[subOrderId] });
const submitted = (subOrderId: string, at = t1): SubOrderSubmitted => ({ type: 'SubOrderSubmitted', data: { ...ids(subOrderId), providerRef: `ref-${subOrderId}`, attempt: 1, submittedAt: at } });
const submitFailed = (subOrderId: string, attempt: number, at = t1): SubOrderSubmitFailed => ({ type: 'SubOrderSubmitFailed', data: { ...ids(subOrderId), attempt, error: 'HTTP 503', failedAt: at } });
const reported = (subOrderId: string, status: ProviderStatus, { ignored = false, at = t2 } = {}): SubOrderStatusReported => ({
  type: 'SubOrderStatusReported',
  data: { ...ids(subOrderId), eventId: `${subOrderId}-${status}`, status, at, source: 'callback', ignored, receivedAt: at },
});
const timedOut = (subOrderId: string, at = plusMs(placedAt, 60_000)): SubOrderTimedOut => ({ type: 'SubOrderTimedOut', data: { ...ids(subOrderId), timedOutAt: at } });
const cancelFailed = (subOrderId: string, attempt: number, at = t2): SubOrderCancelFailed => ({ type: 'SubOrderCancelFailed', data: { ...ids(subOrderId), attempt, error: 'timeout', failedAt: at } });
const subCancelled = (subOrderId: string, attempt = 1): SubOrderCancelled => ({ type: 'SubOrderCancelled', data: { ...ids(subOrderId), attempt, cancelledAt: t2 } });
const cancelRequested: OrderCancelRequested = { type: 'OrderCancelRequested', data: { orderId, requestedBy: customerId, requestedAt: t1 } };
const orderCancelled = (reason: OrderCancelled['data']['reason']): OrderCancelled => ({ type: 'OrderCancelled', data: { orderId, reason, cancelledAt: t2 } });

const submitsAll = [s1, s2, s3].map((id) => new SubmitSubOrderCommand(orderId, id));
const cancelOf = (id: string) => new CancelSubOrderCommand(orderId, id);
const allSubmitted = [placed, submitted(s1), submitted(s2), submitted(s3)];

/** What the workflow schedules for this event after these ones, read from its decision. */
function scheduledAfter(given: (OrderEvent | SubOrderEvent)[], event: OrderEvent | SubOrderEvent) {
  const state = given.reduce((s, e) => workflow.evolve(s, recorded(e) as WorkflowEvent<OrderEvent | SubOrderEvent, never>), workflow.initialState());
  return workflow.decide(recorded(event) as WorkflowEvent<OrderEvent | SubOrderEvent, never>, state).schedule ?? [];
}

describe('fulfilment workflow', () => {
  describe('placing', () => {
    it('an order placed submits every sub-order and sets each one’s accept deadline from its provider’s acceptTimeoutSeconds', () => {
      fulfilment.given([]).when(placed).then({
        commands: submitsAll,
        schedule: [
          { id: `accept:${s1}`, at: plusMs(placedAt, 60_000) },
          { id: `accept:${s2}`, at: plusMs(placedAt, 60_000) },
          { id: `accept:${s3}`, at: plusMs(placedAt, 30_000) },
        ],
      });
    });
  });

  describe('submits', () => {
    it('a failed submit sets a retry timer; its firing submits again', () => {
      const [retry] = scheduledAfter([placed], submitFailed(s1, 1));
      expect(retry.id).toBe(`submit:${s1}`);
      fulfilment.given([placed, submitFailed(s1, 1)]).when(timerFired(`submit:${s1}`, retry.at)).then({ commands: [new SubmitSubOrderCommand(orderId, s1)] });
    });

    it('the retry waits the base, doubled after each next failure up to the most, plus up to a quarter of jitter; a replay waits the same', () => {
      for (const [attempt, base] of [[1, 1000], [2, 2000], [3, 4000], [4, 8000], [5, 8000], [9, 8000]]) {
        const [retry] = scheduledAfter([placed], submitFailed(s1, attempt));
        const wait = Date.parse(retry.at) - Date.parse(t1);
        expect({ attempt, atLeast: wait >= base, atMost: wait <= base * 1.25 }).toEqual({ attempt, atLeast: true, atMost: true });
        expect(scheduledAfter([placed], submitFailed(s1, attempt))).toEqual([retry]);
      }
    });

    it('a retry timer that fires after the submit went through submits nothing', () => {
      const [retry] = scheduledAfter([placed], submitFailed(s1, 1));
      fulfilment.given([placed, submitFailed(s1, 1), submitted(s1)]).when(timerFired(`submit:${s1}`, retry.at)).thenNothing();
    });

    it('a failed submit while compensating is not retried (the cancel settles it)', () => {
      fulfilment.given([placed, cancelRequested]).when(submitFailed(s1, 1)).thenNothing();
      const [retry] = scheduledAfter([placed], submitFailed(s1, 1));
      fulfilment.given([placed, submitFailed(s1, 1), cancelRequested]).when(timerFired(`submit:${s1}`, retry.at)).thenNothing();
    });
  });

  describe('accept deadline', () => {
    it('a sub-order still pending at its deadline is timed out', () => {
      fulfilment.given(allSubmitted).when(timerFired(`accept:${s1}`, plusMs(placedAt, 60_000))).then({ commands: [new TimeOutSubOrderCommand(orderId, s1)] });
      fulfilment.given([placed]).when(timerFired(`accept:${s3}`, plusMs(placedAt, 30_000))).then({ commands: [new TimeOutSubOrderCommand(orderId, s3)] });
    });

    it('a status reported cancels the deadline, and a firing already on its way then does nothing', () => {
      fulfilment.given(allSubmitted).when(reported(s1, 'accepted')).then({ cancel: [`accept:${s1}`] });
      fulfilment.given([...allSubmitted, reported(s1, 'accepted')]).when(timerFired(`accept:${s1}`, plusMs(placedAt, 60_000))).thenNothing();
      // Skipping ahead counts as much as accepting.
      fulfilment.given([...allSubmitted, reported(s2, 'ready')]).when(timerFired(`accept:${s2}`, plusMs(placedAt, 60_000))).thenNothing();
    });

    it('an ignored update changes nothing', () => {
      fulfilment.given([...allSubmitted, reported(s1, 'ready')]).when(reported(s1, 'accepted', { ignored: true })).thenNothing();
    });
  });

  describe('polling http providers', () => {
    it('an http sub-order submitted is polled after pollAfterMs; a simulated one is not', () => {
      fulfilment.given([placed]).when(submitted(s3)).then({ schedule: [{ id: `poll:${s3}`, at: plusMs(t1, 30_000) }] });
      fulfilment.given([placed]).when(submitted(s1)).thenNothing();
    });

    it('each update of an http sub-order puts the poll off again; delivered stops it', () => {
      fulfilment.given(allSubmitted).when(reported(s3, 'accepted')).then({ cancel: [`accept:${s3}`], schedule: [{ id: `poll:${s3}`, at: plusMs(t2, 30_000) }] });
      fulfilment.given(allSubmitted).when(reported(s3, 'delivered')).then({ cancel: [`accept:${s3}`, `poll:${s3}`] });
      fulfilment.given(allSubmitted).when(reported(s1, 'accepted')).then({ cancel: [`accept:${s1}`] });
    });

    it('the poll timer polls and sets the next poll', () => {
      const due = plusMs(t1, 30_000);
      fulfilment.given(allSubmitted).when(timerFired(`poll:${s3}`, due)).then({ commands: [new PollSubOrderCommand(orderId, s3)], schedule: [{ id: `poll:${s3}`, at: plusMs(due, 30_000) }] });
      fulfilment.given([...allSubmitted, reported(s3, 'picked_up')]).when(timerFired(`poll:${s3}`, plusMs(t2, 30_000))).then({
        commands: [new PollSubOrderCommand(orderId, s3)],
        schedule: [{ id: `poll:${s3}`, at: plusMs(t2, 60_000) }],
      });
    });

    it('a timed-out, rejected or cancelled http sub-order is not polled', () => {
      fulfilment.given(allSubmitted).when(timedOut(s3)).then({ cancel: [`poll:${s3}`], commands: [cancelOf(s1), cancelOf(s2), cancelOf(s3)] });
      fulfilment.given([...allSubmitted, cancelRequested, subCancelled(s3)]).when(timerFired(`poll:${s3}`, plusMs(t1, 30_000))).thenNothing();
    });
  });

  describe('compensation', () => {
    it('a rejection cancels every other sub-order still at a provider, never the rejected one', () => {
      fulfilment.given(allSubmitted).when(reported(s2, 'rejected')).then({ cancel: [`accept:${s2}`, `poll:${s2}`], commands: [cancelOf(s1), cancelOf(s3)] });
      fulfilment.given([...allSubmitted, reported(s1, 'accepted')]).when(reported(s3, 'rejected')).then({ cancel: [`accept:${s3}`, `poll:${s3}`], commands: [cancelOf(s1), cancelOf(s2)] });
    });

    it('one not submitted yet is cancelled too (its cancel makes sure of its reference first)', () => {
      fulfilment.given([placed, submitted(s1)]).when(reported(s1, 'rejected')).then({ cancel: [`accept:${s1}`, `poll:${s1}`], commands: [cancelOf(s2), cancelOf(s3)] });
    });

    it('a rejection with nothing else to cancel cancels the order at once', () => {
      const single = placedWith([[s1, 'simulated', 60]]);
      fulfilment.given([single, submitted(s1)]).when(reported(s1, 'rejected')).then({ cancel: [`accept:${s1}`, `poll:${s1}`], commands: [new CompleteCancellationCommand(orderId, 'rejected')] });
    });

    it('a time-out cancels the timed-out sub-order (it may have accepted late) and the others', () => {
      fulfilment.given(allSubmitted).when(timedOut(s1)).then({ cancel: [`poll:${s1}`], commands: [cancelOf(s1), cancelOf(s2), cancelOf(s3)] });
    });

    it('the customer’s cancel cancels every sub-order at its provider', () => {
      fulfilment.given(allSubmitted).when(cancelRequested).then({ commands: [cancelOf(s1), cancelOf(s2), cancelOf(s3)] });
      fulfilment.given([...allSubmitted, reported(s1, 'accepted'), reported(s2, 'preparing')]).when(cancelRequested).then({ commands: [cancelOf(s1), cancelOf(s2), cancelOf(s3)] });
    });

    it('a second reason to compensate while compensating starts nothing new', () => {
      fulfilment.given([...allSubmitted, reported(s1, 'rejected')]).when(timedOut(s2)).then({ cancel: [`poll:${s2}`] });
      fulfilment.given([...allSubmitted, reported(s1, 'rejected')]).when(cancelRequested).thenNothing();
      fulfilment.given([...allSubmitted, cancelRequested]).when(reported(s1, 'rejected')).then({ cancel: [`accept:${s1}`, `poll:${s1}`] });
    });

    it('a cancel that failed sets a retry timer; its firing cancels again', () => {
      const [retry] = scheduledAfter([...allSubmitted, cancelRequested], cancelFailed(s2, 1));
      expect(retry.id).toBe(`cancel:${s2}`);
      const wait = Date.parse(retry.at) - Date.parse(t2);
      expect(wait >= 1000 && wait <= 1250).toBe(true);
      const [again] = scheduledAfter([...allSubmitted, cancelRequested], cancelFailed(s2, 3));
      expect(Date.parse(again.at) - Date.parse(t2)).toBeGreaterThanOrEqual(4000);
      fulfilment.given([...allSubmitted, cancelRequested, cancelFailed(s2, 1)]).when(timerFired(`cancel:${s2}`, retry.at)).then({ commands: [cancelOf(s2)] });
    });

    it('once every sub-order to cancel is cancelled, the cancellation completes with its reason', () => {
      fulfilment.given([...allSubmitted, cancelRequested, subCancelled(s1), subCancelled(s2)]).when(subCancelled(s3)).then({
        cancel: [`poll:${s3}`, `cancel:${s3}`, `accept:${s3}`],
        commands: [new CompleteCancellationCommand(orderId, 'customer')],
      });
      fulfilment.given([...allSubmitted, reported(s2, 'rejected'), subCancelled(s1)]).when(subCancelled(s3, 2)).then({
        cancel: [`poll:${s3}`, `cancel:${s3}`, `accept:${s3}`],
        commands: [new CompleteCancellationCommand(orderId, 'rejected')],
      });
      fulfilment.given([...allSubmitted, timedOut(s1), subCancelled(s2), subCancelled(s3)]).when(subCancelled(s1)).then({
        cancel: [`poll:${s1}`, `cancel:${s1}`, `accept:${s1}`],
        commands: [new CompleteCancellationCommand(orderId, 'timed_out')],
      });
    });

    it('not before: a cancel with others still to go completes nothing', () => {
      fulfilment.given([...allSubmitted, cancelRequested]).when(subCancelled(s1)).then({ cancel: [`poll:${s1}`, `cancel:${s1}`, `accept:${s1}`] });
      fulfilment.given([...allSubmitted, cancelRequested, cancelFailed(s3, 1), subCancelled(s1)]).when(subCancelled(s2)).then({ cancel: [`poll:${s2}`, `cancel:${s2}`, `accept:${s2}`] });
    });

    it('a retry timer that fires after the cancel went through cancels nothing', () => {
      const [retry] = scheduledAfter([...allSubmitted, cancelRequested], cancelFailed(s2, 1));
      fulfilment.given([...allSubmitted, cancelRequested, cancelFailed(s2, 1), subCancelled(s2, 2)]).when(timerFired(`cancel:${s2}`, retry.at)).thenNothing();
    });

    it('a delivered sub-order is not cancelled by a compensation', () => {
      fulfilment.given([...allSubmitted, reported(s1, 'delivered')]).when(reported(s2, 'rejected')).then({ cancel: [`accept:${s2}`, `poll:${s2}`], commands: [cancelOf(s3)] });
    });

    it('the order cancelled clears every timer left', () => {
      fulfilment.given([...allSubmitted, cancelRequested, subCancelled(s1), subCancelled(s2), subCancelled(s3)]).when(orderCancelled('customer')).then({
        cancel: [s1, s2, s3].flatMap((id) => [`accept:${id}`, `submit:${id}`, `cancel:${id}`, `poll:${id}`]),
      });
      fulfilment.given([...allSubmitted, cancelRequested, subCancelled(s1), subCancelled(s2), subCancelled(s3)]).when(orderCancelled('customer')).thenTimers({});
      fulfilment.given([...allSubmitted, orderCancelled('customer')]).when(timerFired(`accept:${s1}`, plusMs(placedAt, 60_000))).thenNothing();
    });

    it('a sub-order rejected while the customer’s cancel of it is being retried counts as settled, so the order ends cancelled', () => {
      // The customer cancels; s2's cancel fails; s2 is then rejected by its provider: CancelSubOrderHandler
      // skips a rejected sub-order, so no SubOrderCancelled ever comes for it; its rejection settles it.
      fulfilment.given([...allSubmitted, cancelRequested, cancelFailed(s2, 1), reported(s2, 'rejected'), subCancelled(s1)]).when(subCancelled(s3)).then({
        cancel: [`poll:${s3}`, `cancel:${s3}`, `accept:${s3}`],
        commands: [new CompleteCancellationCommand(orderId, 'customer')],
      });
    });

    it('a rejection that comes last, after every other cancel went through, completes the cancellation', () => {
      fulfilment.given([...allSubmitted, cancelRequested, cancelFailed(s2, 1), subCancelled(s1), subCancelled(s3)]).when(reported(s2, 'rejected')).then({
        cancel: [`accept:${s2}`, `poll:${s2}`],
        commands: [new CompleteCancellationCommand(orderId, 'customer')],
      });
    });
  });
});

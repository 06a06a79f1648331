import { spec } from '@app/core/testing/given-when-then';
import type { ProviderStatus, SubOrderEvent, SubOrderStatusReported, UpdateSource } from '../contract/orders.events';
import { isFinal, type SubOrderCommand, subOrderDecider } from './sub-order.decider';

const subOrderId = '5b000000-0000-4000-8000-000000000001';
const orderId = '0d000000-0000-4000-8000-000000000001';
const providerId = 'a1000000-0000-4000-8000-000000000001';
const ids = { subOrderId, orderId, providerId };
const at = '2027-02-01T10:00:00.000Z';
const received = '2027-02-01T10:00:01.000Z';

const subOrder = spec(subOrderDecider);

const report = (eventId: string, status: ProviderStatus, source: UpdateSource = 'callback'): SubOrderCommand => ({
  type: 'ReportStatus',
  data: { ...ids, eventId, status, at, source, receivedAt: received },
});
const reported = (eventId: string, status: ProviderStatus, ignored = false, source: UpdateSource = 'callback'): SubOrderStatusReported => ({
  type: 'SubOrderStatusReported',
  data: { ...ids, eventId, status, at, source, receivedAt: received, ignored },
});
const submitted = (providerRef: string, attempt = 1): SubOrderEvent => ({ type: 'SubOrderSubmitted', data: { ...ids, providerRef, attempt, submittedAt: at } });
const submitFailed = (attempt: number): SubOrderEvent => ({ type: 'SubOrderSubmitFailed', data: { ...ids, attempt, error: 'HTTP 503', failedAt: at } });
const timedOut: SubOrderEvent = { type: 'SubOrderTimedOut', data: { ...ids, timedOutAt: at } };
const cancelFailed = (attempt: number): SubOrderEvent => ({ type: 'SubOrderCancelFailed', data: { ...ids, attempt, error: 'timeout', failedAt: at } });
const cancelled = (attempt: number): SubOrderEvent => ({ type: 'SubOrderCancelled', data: { ...ids, attempt, cancelledAt: at } });

const FORWARD: ProviderStatus[] = ['accepted', 'preparing', 'ready', 'picked_up', 'delivered'];

/** The events of a sub-order that went through these statuses, one provider event each. */
function through(...statuses: ProviderStatus[]): SubOrderEvent[] {
  return [submitted('ref-1'), ...statuses.map((status, i) => reported(`e${i}`, status))];
}

function stateAfter(events: SubOrderEvent[]) {
  return events.reduce(subOrderDecider.evolve, subOrderDecider.initialState());
}

describe('sub-order decider', () => {
  describe('statuses a provider reports', () => {
    it('each step forward from pending to delivered is applied', () => {
      FORWARD.forEach((status, i) => {
        const before = through(...FORWARD.slice(0, i));
        subOrder.given(before).when(report('next', status)).then([reported('next', status)]);
        expect(stateAfter([...before, reported('next', status)]).status).toBe(status);
      });
    });

    it('an update may skip steps forward (pending straight to ready, accepted to delivered)', () => {
      subOrder.given([]).when(report('e1', 'ready')).then([reported('e1', 'ready')]);
      subOrder.given([submitted('ref-1')]).when(report('e1', 'ready')).then([reported('e1', 'ready')]);
      subOrder.given(through('accepted')).when(report('e9', 'delivered')).then([reported('e9', 'delivered')]);
      expect(stateAfter([...through('accepted'), reported('e9', 'delivered')]).status).toBe('delivered');
    });

    it('an update that would move it backwards, or repeat its status, is recorded as ignored and changes nothing', () => {
      subOrder.given(through('accepted', 'preparing', 'ready')).when(report('late', 'preparing')).then([reported('late', 'preparing', true)]);
      subOrder.given(through('accepted', 'preparing', 'ready')).when(report('late', 'accepted')).then([reported('late', 'accepted', true)]);
      subOrder.given(through('accepted', 'preparing')).when(report('again', 'preparing')).then([reported('again', 'preparing', true)]);
      const state = stateAfter([...through('accepted', 'preparing', 'ready'), reported('late', 'preparing', true)]);
      expect(state.status).toBe('ready');
      expect(state.eventIds.has('late')).toBe(true);
    });

    it('an ignored update does not change updatedAt', () => {
      const before = stateAfter(through('accepted', 'preparing', 'ready'));
      const after = subOrderDecider.evolve(before, { ...reported('late', 'preparing', true), data: { ...reported('late', 'preparing', true).data, receivedAt: '2030-01-01T00:00:00.000Z' } });
      expect(after.updatedAt).toBe(before.updatedAt);
    });

    it('an update with an eventId recorded before records nothing, whatever its status', () => {
      subOrder.given(through('accepted')).when(report('e0', 'accepted')).then([]);
      subOrder.given(through('accepted')).when(report('e0', 'delivered')).then([]);
      // An ignored one counts as recorded too.
      subOrder.given([...through('accepted', 'preparing', 'ready'), reported('late', 'preparing', true)]).when(report('late', 'preparing')).then([]);
    });

    it('the source of the update is kept (callback, poll, simulated)', () => {
      subOrder.given([]).when(report('p1', 'accepted', 'poll')).then([reported('p1', 'accepted', false, 'poll')]);
      subOrder.given([]).when(report('s1', 'accepted', 'simulated')).then([reported('s1', 'accepted', false, 'simulated')]);
    });

    it('rejected is applied only while pending or accepted', () => {
      subOrder.given([]).when(report('r', 'rejected')).then([reported('r', 'rejected')]);
      subOrder.given([submitted('ref-1')]).when(report('r', 'rejected')).then([reported('r', 'rejected')]);
      subOrder.given(through('accepted')).when(report('r', 'rejected')).then([reported('r', 'rejected')]);
      for (const reached of [['accepted', 'preparing'], ['accepted', 'ready'], ['accepted', 'picked_up'], ['accepted', 'delivered']] as ProviderStatus[][]) {
        subOrder.given(through(...reached)).when(report('r', 'rejected')).then([reported('r', 'rejected', true)]);
      }
      expect(stateAfter([...through('accepted'), reported('r', 'rejected')]).status).toBe('rejected');
    });

    it('nothing moves a sub-order after a final status: delivered, rejected, timed out, cancelled', () => {
      const finals: [string, SubOrderEvent[]][] = [
        ['delivered', through(...FORWARD)],
        ['rejected', through('rejected')],
        ['timed_out', [submitted('ref-1'), timedOut]],
        ['cancelled', [submitted('ref-1'), cancelled(1)]],
      ];
      for (const [status, events] of finals) {
        expect(stateAfter(events).status).toBe(status);
        expect(isFinal(stateAfter(events).status)).toBe(true);
        for (const next of [...FORWARD, 'rejected'] as ProviderStatus[]) {
          subOrder.given(events).when(report('after', next)).then([reported('after', next, true)]);
        }
      }
      for (const status of ['pending', 'accepted', 'preparing', 'ready', 'picked_up'] as const) expect(isFinal(status)).toBe(false);
    });
  });

  describe('submits', () => {
    it('a submit answered is recorded with its reference and attempt number', () => {
      subOrder.given([]).when({ type: 'RecordSubmitted', data: { ...ids, providerRef: 'ref-1', at } }).then([submitted('ref-1', 1)]);
      const state = stateAfter([submitted('ref-1')]);
      expect(state).toMatchObject({ providerRef: 'ref-1', submitAttempts: 1, attempts: 1, lastError: null, status: 'pending', ...ids });
    });

    it('failed submits are counted, the last error kept; the answer after them is the next attempt and clears the error', () => {
      subOrder.given([]).when({ type: 'RecordSubmitFailed', data: { ...ids, error: 'HTTP 503', at } }).then([submitFailed(1)]);
      subOrder.given([submitFailed(1)]).when({ type: 'RecordSubmitFailed', data: { ...ids, error: 'HTTP 503', at } }).then([submitFailed(2)]);
      expect(stateAfter([submitFailed(1), submitFailed(2)])).toMatchObject({ submitAttempts: 2, attempts: 2, lastError: 'HTTP 503', providerRef: null });
      subOrder.given([submitFailed(1), submitFailed(2)]).when({ type: 'RecordSubmitted', data: { ...ids, providerRef: 'ref-1', at } }).then([submitted('ref-1', 3)]);
      expect(stateAfter([submitFailed(1), submitFailed(2), submitted('ref-1', 3)])).toMatchObject({ submitAttempts: 3, attempts: 3, lastError: null });
    });

    it('a second submit answer keeps the first reference; a failure after an answer records nothing', () => {
      subOrder.given([submitted('ref-1')]).when({ type: 'RecordSubmitted', data: { ...ids, providerRef: 'ref-2', at } }).then([]);
      subOrder.given([submitted('ref-1')]).when({ type: 'RecordSubmitFailed', data: { ...ids, error: 'late', at } }).then([]);
      expect(stateAfter([submitted('ref-1')]).providerRef).toBe('ref-1');
    });
  });

  describe('time-out', () => {
    it('a pending sub-order times out', () => {
      subOrder.given([]).when({ type: 'TimeOut', data: { ...ids, at } }).then([timedOut]);
      subOrder.given([submitted('ref-1'), submitFailed(2)]).when({ type: 'TimeOut', data: { ...ids, at } }).then([timedOut]);
      expect(stateAfter([submitted('ref-1'), timedOut]).status).toBe('timed_out');
    });

    it('one accepted (or further, or final) does not', () => {
      for (const events of [through('accepted'), through('ready'), through('rejected'), [submitted('ref-1'), cancelled(1)], [submitted('ref-1'), timedOut]]) {
        subOrder.given(events).when({ type: 'TimeOut', data: { ...ids, at } }).then([]);
      }
    });
  });

  describe('cancels (compensation)', () => {
    it('cancel attempts are counted apart from submits, and all calls together', () => {
      subOrder.given([submitted('ref-1')]).when({ type: 'RecordCancelFailed', data: { ...ids, error: 'timeout', at } }).then([cancelFailed(1)]);
      subOrder.given([submitted('ref-1'), cancelFailed(1)]).when({ type: 'RecordCancelFailed', data: { ...ids, error: 'timeout', at } }).then([cancelFailed(2)]);
      subOrder.given([submitted('ref-1'), cancelFailed(1), cancelFailed(2)]).when({ type: 'RecordCancelled', data: { ...ids, at } }).then([cancelled(3)]);
      expect(stateAfter([submitted('ref-1'), cancelFailed(1), cancelFailed(2)])).toMatchObject({ submitAttempts: 1, cancelAttempts: 2, attempts: 3, lastError: 'timeout', status: 'pending' });
      expect(stateAfter([submitted('ref-1'), cancelFailed(1), cancelFailed(2), cancelled(3)])).toMatchObject({ submitAttempts: 1, cancelAttempts: 3, attempts: 4, lastError: null, status: 'cancelled' });
    });

    it('a timed-out or accepted sub-order can be cancelled', () => {
      subOrder.given([submitted('ref-1'), timedOut]).when({ type: 'RecordCancelled', data: { ...ids, at } }).then([cancelled(1)]);
      subOrder.given(through('accepted', 'preparing')).when({ type: 'RecordCancelled', data: { ...ids, at } }).then([cancelled(1)]);
    });

    it('a cancelled sub-order records no further cancel, nor a failure', () => {
      subOrder.given([submitted('ref-1'), cancelled(1)]).when({ type: 'RecordCancelled', data: { ...ids, at } }).then([]);
      subOrder.given([submitted('ref-1'), cancelled(1)]).when({ type: 'RecordCancelFailed', data: { ...ids, error: 'late', at } }).then([]);
    });
  });
});

import type { SubOrderStatus } from '../contract/orders.events';
import { moves, type OrderStatus, orderStatus } from './sub-order-status';

const open = { cancelRequested: false, cancelled: false };

describe('order status from its sub-orders', () => {
  describe('the contract’s rules, in order', () => {
    it('cancelled once the compensation is done, whatever the sub-orders say', () => {
      expect(orderStatus(['cancelled', 'rejected'], { cancelRequested: false, cancelled: true })).toBe('cancelled');
      expect(orderStatus(['pending', 'pending'], { cancelRequested: true, cancelled: true })).toBe('cancelled');
      expect(orderStatus(['delivered', 'cancelled'], { cancelRequested: false, cancelled: true })).toBe('cancelled');
    });

    it('cancelling while any sub-order is rejected, timed out or cancelled, or the customer asked', () => {
      expect(orderStatus(['rejected', 'accepted'], open)).toBe('cancelling');
      expect(orderStatus(['timed_out', 'ready'], open)).toBe('cancelling');
      expect(orderStatus(['cancelled', 'delivered'], open)).toBe('cancelling');
      expect(orderStatus(['pending', 'preparing'], { cancelRequested: true, cancelled: false })).toBe('cancelling');
      // Before "all delivered" or "delivering": a rejection wins over a sub-order on its way.
      expect(orderStatus(['rejected', 'picked_up'], open)).toBe('cancelling');
    });

    it('delivered when all are delivered', () => {
      expect(orderStatus(['delivered'], open)).toBe('delivered');
      expect(orderStatus(['delivered', 'delivered', 'delivered'], open)).toBe('delivered');
    });

    it('else delivering when any is picked up or delivered', () => {
      expect(orderStatus(['picked_up', 'pending'], open)).toBe('delivering');
      expect(orderStatus(['delivered', 'accepted'], open)).toBe('delivering');
      expect(orderStatus(['picked_up', 'picked_up'], open)).toBe('delivering');
      expect(orderStatus(['delivered', 'ready'], open)).toBe('delivering');
    });

    it('else ready when all are ready', () => {
      expect(orderStatus(['ready', 'ready'], open)).toBe('ready');
      expect(orderStatus(['ready'], open)).toBe('ready');
    });

    it('else preparing when any is preparing or ready', () => {
      expect(orderStatus(['preparing', 'pending'], open)).toBe('preparing');
      expect(orderStatus(['ready', 'accepted'], open)).toBe('preparing');
      expect(orderStatus(['ready', 'pending'], open)).toBe('preparing');
    });

    it('else confirmed when all are past pending', () => {
      expect(orderStatus(['accepted', 'accepted'], open)).toBe('confirmed');
      expect(orderStatus(['accepted'], open)).toBe('confirmed');
    });

    it('else placed', () => {
      expect(orderStatus(['pending'], open)).toBe('placed');
      expect(orderStatus(['accepted', 'pending'], open)).toBe('placed');
    });
  });

  describe('never backwards', () => {
    it('keeps what it was when the rules would give less', () => {
      // A provider cannot move a sub-order back, but the rules could still give less: keep the order's.
      expect(orderStatus(['accepted', 'pending'], { ...open, previous: 'confirmed' })).toBe('confirmed');
      expect(orderStatus(['ready', 'accepted'], { ...open, previous: 'ready' })).toBe('ready');
      expect(orderStatus(['picked_up', 'pending'], { ...open, previous: 'delivering' })).toBe('delivering');
      expect(orderStatus(['pending', 'pending'], { ...open, previous: 'cancelling' })).toBe('cancelling');
    });

    it('moves on when the rules give more', () => {
      expect(orderStatus(['ready', 'ready'], { ...open, previous: 'preparing' })).toBe('ready');
      expect(orderStatus(['delivered', 'delivered'], { ...open, previous: 'delivering' })).toBe('delivered');
      expect(orderStatus(['rejected', 'accepted'], { ...open, previous: 'confirmed' })).toBe('cancelling');
      expect(orderStatus(['rejected', 'cancelled'], { cancelRequested: false, cancelled: true, previous: 'cancelling' })).toBe('cancelled');
    });

    it('along every path of sub-order statuses, one step at a time, it never goes back', () => {
      const RANK: OrderStatus[] = ['placed', 'confirmed', 'preparing', 'ready', 'delivering', 'delivered', 'cancelling', 'cancelled'];
      const path: SubOrderStatus[][] = [
        ['pending', 'pending'],
        ['accepted', 'pending'],
        ['accepted', 'accepted'],
        ['preparing', 'accepted'],
        ['ready', 'preparing'],
        ['ready', 'ready'],
        ['picked_up', 'ready'],
        ['delivered', 'ready'],
        ['delivered', 'picked_up'],
        ['delivered', 'delivered'],
      ];
      let previous: OrderStatus | undefined;
      const seen: OrderStatus[] = [];
      for (const subs of path) {
        const next = orderStatus(subs, { ...open, previous });
        if (previous) expect(RANK.indexOf(next)).toBeGreaterThanOrEqual(RANK.indexOf(previous));
        previous = next;
        seen.push(next);
      }
      expect([...new Set(seen)]).toEqual(['placed', 'confirmed', 'preparing', 'ready', 'delivering', 'delivered']);
    });
  });

  describe('moves: which reported statuses a sub-order takes', () => {
    it('forward only, steps may be skipped', () => {
      expect(moves('pending', 'accepted')).toBe(true);
      expect(moves('pending', 'delivered')).toBe(true);
      expect(moves('ready', 'picked_up')).toBe(true);
      expect(moves('ready', 'preparing')).toBe(false);
      expect(moves('ready', 'ready')).toBe(false);
    });

    it('rejected only from pending or accepted; nothing from a final status', () => {
      expect(moves('pending', 'rejected')).toBe(true);
      expect(moves('accepted', 'rejected')).toBe(true);
      expect(moves('preparing', 'rejected')).toBe(false);
      for (const final of ['delivered', 'rejected', 'timed_out', 'cancelled'] as const) {
        for (const reported of ['accepted', 'preparing', 'ready', 'picked_up', 'delivered', 'rejected'] as const) expect(moves(final, reported)).toBe(false);
      }
    });
  });
});

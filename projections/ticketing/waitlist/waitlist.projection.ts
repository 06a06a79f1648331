import { defineRowProjection } from '@app/core';
import type { ReservationExpired, WaitlistJoined, WaitlistLeft, WaitlistOffered } from '@app/ticketing/contract';

/** A row of `ticketing_waitlist`: one entry of a show's waitlist. */
export interface WaitlistRow {
  waitlist_id: string;
  show_id: string;
  customer_id: string;
  quantity: number;
  place: number;
  status: 'waiting' | 'offered' | 'expired' | 'left';
  reservation_id: string | null;
  joined_at: Date;
}

type WaitlistEvent = WaitlistJoined | WaitlistLeft | WaitlistOffered | ReservationExpired;

/** Every waitlist entry; an offer whose hold expired shows `expired`. */
export const waitlistProjection = defineRowProjection<WaitlistRow, WaitlistEvent, 'ticketing_waitlist'>({
  name: 'ticketing_waitlist',
  version: 1,
  table: 'ticketing_waitlist',
  columns: (t) => {
    t.text('waitlist_id').primary();
    t.uuid('show_id').notNullable();
    t.text('customer_id').notNullable();
    t.integer('quantity').notNullable();
    t.integer('place').notNullable();
    t.text('status').notNullable();
    t.uuid('reservation_id');
    t.timestamp('joined_at', { useTz: true }).notNullable();
    t.index(['customer_id', 'joined_at']);
  },
  key: 'waitlist_id',
  // An expiry of a hold that was no offer is about no entry: '' is no row's key.
  keyOf: (event) => (event.type === 'ReservationExpired' ? (event.data.waitlistId ?? '') : event.data.waitlistId),
  evolve: {
    WaitlistJoined: (_row, { data }) => ({
      waitlist_id: data.waitlistId,
      show_id: data.showId,
      customer_id: data.customerId,
      quantity: data.quantity,
      place: data.place,
      status: 'waiting',
      reservation_id: null,
      joined_at: new Date(data.joinedAt),
    }),
    WaitlistLeft: (row) => (row ? { ...row, status: 'left' } : null),
    WaitlistOffered: (row, { data }) => (row ? { ...row, status: 'offered', reservation_id: data.reservationId } : null),
    ReservationExpired: (row) => (row ? { ...row, status: 'expired' } : null),
  },
});

import { defineRowProjection } from '@app/core';
import type { ReservationCancelled, ReservationConfirmed, ReservationExpired, SeatsHeld } from '@app/ticketing/contract';

/** A row of `ticketing_reservations`: one reservation as it is now. */
export interface ReservationRow {
  reservation_id: string;
  show_id: string;
  customer_id: string;
  seats: string[];
  /** The ticket of each seat, in the order of `seats`; empty until confirmed. */
  ticket_ids: string[];
  /** Cents, as PostgreSQL returns a bigint: a string. */
  total_cents: string;
  status: 'held' | 'confirmed' | 'expired' | 'cancelled' | 'refunded';
  expires_at: Date;
  payment_id: string | null;
  waitlist_id: string | null;
  created_at: Date;
  /** The position of its SeatsHeld: a customer's reservations page newest first by it. */
  created_position: string;
}

type ReservationEvent = SeatsHeld | ReservationConfirmed | ReservationExpired | ReservationCancelled;

/** Every reservation, for a customer's list (newest first) and for one by id (the show it is on, for the commands that name only its id). */
export const reservationsProjection = defineRowProjection<ReservationRow, ReservationEvent, 'ticketing_reservations'>({
  name: 'ticketing_reservations',
  version: 2,
  table: 'ticketing_reservations',
  columns: (t) => {
    t.uuid('reservation_id').primary();
    t.uuid('show_id').notNullable();
    t.text('customer_id').notNullable();
    t.specificType('seats', 'text[]').notNullable();
    t.specificType('ticket_ids', 'text[]').notNullable();
    t.bigInteger('total_cents').notNullable();
    t.text('status').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.uuid('payment_id');
    t.uuid('waitlist_id');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.text('created_position').notNullable();
    t.index(['customer_id', 'created_position']);
  },
  key: 'reservation_id',
  keyOf: (event) => event.data.reservationId,
  evolve: {
    SeatsHeld: (_row, { data, position }) => ({
      reservation_id: data.reservationId,
      show_id: data.showId,
      customer_id: data.customerId,
      seats: data.seats,
      ticket_ids: [],
      total_cents: String(data.totalCents),
      status: 'held',
      expires_at: new Date(data.expiresAt),
      payment_id: null,
      waitlist_id: data.waitlistId,
      created_at: new Date(data.heldAt),
      created_position: position,
    }),
    ReservationConfirmed: (row, { data }) =>
      row ? { ...row, status: 'confirmed', payment_id: data.paymentId, ticket_ids: row.seats.map((seat) => data.tickets.find((t) => t.seatId === seat)?.ticketId ?? '') } : null,
    ReservationExpired: (row) => (row ? { ...row, status: 'expired' } : null),
    ReservationCancelled: (row, { data }) => (row ? { ...row, status: data.refundedPaymentId ? 'refunded' : 'cancelled' } : null),
  },
});

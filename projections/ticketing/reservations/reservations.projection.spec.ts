import type { ShowEvent } from '@app/ticketing/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { reservationsProjection } from './reservations.projection';
import { reservationsQueries } from './reservations.queries';

const recorded = recorder<ShowEvent>((event) => `ticketing-show-${event.data.showId}`);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SHOW = uuid(1);
const [R1, R2, R3, R4, R5] = [11, 12, 13, 14, 15].map(uuid);

const held = (reservationId: string, customerId: string, seats: string[], waitlistId: string | null = null) =>
  recorded('SeatsHeld', {
    showId: SHOW,
    reservationId,
    customerId,
    seats,
    totalCents: 1000 * seats.length,
    heldAt: '2027-01-02T10:00:00.000Z',
    expiresAt: '2027-01-02T10:10:00.000Z',
    waitlistId,
  });

// The tickets come in another order than the seats: each row keeps them in the seats' order.
const events = [
  held(R1, 'ann', ['A-1-1', 'A-1-2']),
  held(R2, 'ann', ['A-1-3']),
  held(R3, 'bob', ['A-2-1']),
  recorded('ReservationConfirmed', {
    showId: SHOW,
    reservationId: R1,
    customerId: 'ann',
    paymentId: uuid(101),
    paymentKey: 'k1',
    tickets: [
      { ticketId: uuid(202), seatId: 'A-1-2' },
      { ticketId: uuid(201), seatId: 'A-1-1' },
    ],
    totalCents: 2000,
    confirmedAt: '2027-01-02T10:01:00.000Z',
  }),
  recorded('ReservationExpired', { showId: SHOW, reservationId: R2, customerId: 'ann', seats: ['A-1-3'], waitlistId: null, expiredAt: '2027-01-02T10:10:00.000Z' }),
  recorded('ReservationCancelled', { showId: SHOW, reservationId: R3, customerId: 'bob', seats: ['A-2-1'], refundedPaymentId: null, cancelledAt: '2027-01-02T10:02:00.000Z' }),
  held(R4, 'ann', ['A-1-3'], uuid(301)),
  recorded('ReservationConfirmed', {
    showId: SHOW,
    reservationId: R4,
    customerId: 'ann',
    paymentId: uuid(104),
    paymentKey: 'k4',
    tickets: [{ ticketId: uuid(204), seatId: 'A-1-3' }],
    totalCents: 1000,
    confirmedAt: '2027-01-02T10:11:00.000Z',
  }),
  recorded('ReservationCancelled', { showId: SHOW, reservationId: R4, customerId: 'ann', seats: ['A-1-3'], refundedPaymentId: uuid(104), cancelledAt: '2027-01-02T10:12:00.000Z' }),
  held(R5, 'ann', ['A-2-2']),
];

const expectedRows = [
  { reservation_id: R1, customer_id: 'ann', seats: ['A-1-1', 'A-1-2'], ticket_ids: [uuid(201), uuid(202)], total_cents: '2000', status: 'confirmed', payment_id: uuid(101), waitlist_id: null, created_position: events[0].position },
  { reservation_id: R2, customer_id: 'ann', seats: ['A-1-3'], ticket_ids: [], total_cents: '1000', status: 'expired', payment_id: null, waitlist_id: null, created_position: events[1].position },
  { reservation_id: R3, customer_id: 'bob', seats: ['A-2-1'], ticket_ids: [], total_cents: '1000', status: 'cancelled', payment_id: null, waitlist_id: null, created_position: events[2].position },
  { reservation_id: R4, customer_id: 'ann', seats: ['A-1-3'], ticket_ids: [uuid(204)], total_cents: '1000', status: 'refunded', payment_id: uuid(104), waitlist_id: uuid(301), created_position: events[6].position },
  { reservation_id: R5, customer_id: 'ann', seats: ['A-2-2'], ticket_ids: [], total_cents: '1000', status: 'held', payment_id: null, waitlist_id: null, created_position: events[9].position },
].map((row) => ({ ...row, show_id: SHOW, expires_at: new Date('2027-01-02T10:10:00.000Z'), created_at: new Date('2027-01-02T10:00:00.000Z') }));

describe('ticketing reservations read model', () => {
  it('reads the holds and what becomes of them', () => {
    expect(reservationsProjection.eventTypes).toEqual(['SeatsHeld', 'ReservationConfirmed', 'ReservationExpired', 'ReservationCancelled']);
  });

  describe('the events in one batch', () => {
    const readModel = readModelUnderTest(reservationsProjection, { batches: [events] });
    const queries = () => readModel.queries(reservationsQueries);

    it('keeps each reservation as it is now: seats, tickets in the seats’ order, total, status, payment, waitlist entry', async () => {
      expect(await readModel.rows('ticketing_reservations', 'served', 'created_position')).toEqual(expectedRows);
    });

    it('answers the show of a reservation and the reservation, null for an unknown id', async () => {
      expect(await queries().showOf(R3)).toBe(SHOW);
      expect(await queries().showOf(uuid(99))).toBeNull();
      expect(await queries().byId(R4)).toEqual(expectedRows[3]);
      expect(await queries().byId(uuid(99))).toBeNull();
    });

    it('pages a customer’s reservations newest first, only theirs', async () => {
      const ids = (page: { rows: { reservation_id: string }[] }) => page.rows.map((row) => row.reservation_id);
      const first = await queries().pageOfCustomer('ann', { limit: 2 });
      expect(ids(first)).toEqual([R5, R4]);
      expect(first.more).toBe(true);
      const second = await queries().pageOfCustomer('ann', { limit: 2, createdBefore: first.rows[1].created_position });
      expect(ids(second)).toEqual([R2, R1]);
      expect(second.more).toBe(false);
      expect(ids(await queries().pageOfCustomer('bob', { limit: 50 }))).toEqual([R3]);
      expect(await queries().pageOfCustomer('carl', { limit: 50 })).toEqual({ rows: [], more: false });
    });
  });

  describe('the same events one batch each', () => {
    const readModel = readModelUnderTest(reservationsProjection);

    it('gives the same rows as one batch', async () => {
      await readModel.applyEachAlone(events);
      expect(await readModel.rows('ticketing_reservations', 'served', 'created_position')).toEqual(expectedRows);
    });
  });
});

import { NotFoundError } from '@app/core/domain';
import { spec } from '@app/core/testing/given-when-then';
import type {
  ReservationCancelled,
  ReservationConfirmed,
  ReservationExpired,
  ReservationPaymentRefunded,
  ReservationPaymentStarted,
  SeatMapSection,
  SeatsHeld,
  ShowCreated,
  ShowEvent,
  WaitlistJoined,
  WaitlistLeft,
  WaitlistOffered,
} from '../contract/ticketing.events';
import { ConfirmedMeanwhile, type ShowCommand, showDecider } from './show.decider';
import { ReservationCancelledError, ReservationExpiredError, SeatsAvailable, SeatsUnavailable, ShowStarted, TooManySeats, UnknownSeat } from './ticketing.errors';

const showId = '5a000000-0000-4000-8000-000000000001';
const organiser = 'a0000000-0000-4000-8000-000000000001';
const ann = 'c0000000-0000-4000-8000-00000000000a';
const bob = 'c0000000-0000-4000-8000-00000000000b';
const cid = 'c0000000-0000-4000-8000-00000000000c';
const dan = 'c0000000-0000-4000-8000-00000000000d';
const r1 = 'e0000000-0000-4000-8000-000000000001';
const r2 = 'e0000000-0000-4000-8000-000000000002';
const r3 = 'e0000000-0000-4000-8000-000000000003';
const o1 = 'f0000000-0000-4000-8000-000000000001';
const o2 = 'f0000000-0000-4000-8000-000000000002';
const o3 = 'f0000000-0000-4000-8000-000000000003';
const w1 = 'b0000000-0000-4000-8000-000000000001';
const w2 = 'b0000000-0000-4000-8000-000000000002';
const w3 = 'b0000000-0000-4000-8000-000000000003';
const w4 = 'b0000000-0000-4000-8000-000000000004';

const createdAt = '2027-01-01T09:00:00.000Z';
const now = '2027-02-01T10:00:00.000Z';
/** now + holdSeconds (600). */
const expiresAt = '2027-02-01T10:10:00.000Z';
const justBefore = '2027-02-01T10:09:59.999Z';
const later = '2027-02-01T10:30:00.000Z';
const startsAt = '2027-03-01T19:30:00.000Z';

/** A 10.00 section of two rows of five, and a 25.00 one of one row of three: 13 seats. */
const sections: SeatMapSection[] = [
  { name: 'A', priceCents: 1000, rows: [{ name: '1', seats: 5 }, { name: '2', seats: 5 }] },
  { name: 'B', priceCents: 2500, rows: [{ name: '1', seats: 3 }] },
];
const createData: ShowCreated['data'] = { showId, title: 'The Magic Flute', venue: 'Opera House', startsAt, holdSeconds: 600, sections, createdBy: organiser, createdAt };
const created: ShowCreated = { type: 'ShowCreated', data: createData };
/** A show of five seats only (rows of 3 and 2), to sell out. */
const small: ShowCreated = { type: 'ShowCreated', data: { ...createData, sections: [{ name: 'A', priceCents: 1000, rows: [{ name: '1', seats: 3 }, { name: '2', seats: 2 }] }] } };

const show = spec(showDecider);

/** The code, status and details a refusal is expected to carry. */
function refusal(expected: { code: string; status?: number; details?: Record<string, unknown> }): { code: string } {
  return expected;
}

function addSeconds(instant: string, seconds: number): string {
  return new Date(Date.parse(instant) + seconds * 1000).toISOString();
}

/** The SeatsHeld a hold records, priced by the caller (the spec states its totals itself). */
function heldEvent(
  reservationId: string,
  customerId: string,
  seats: string[],
  totalCents: number,
  { heldAt = now, waitlistId = null }: { heldAt?: string; waitlistId?: string | null } = {},
): SeatsHeld {
  return { type: 'SeatsHeld', data: { showId, reservationId, customerId, seats, totalCents, heldAt, expiresAt: addSeconds(heldAt, 600), waitlistId } };
}

const reserveSeats = (reservationId: string, seats: string[], at = now, customerId = ann): ShowCommand => ({ type: 'ReserveSeats', data: { showId, reservationId, customerId, now: at, seats } });
const reserveBest = (reservationId: string, section: string, quantity: number, at = now, customerId = ann): ShowCommand => ({
  type: 'ReserveSeats',
  data: { showId, reservationId, customerId, now: at, section, quantity },
});
const startPayment = (reservationId: string, paymentKey: string, at = now): ShowCommand => ({ type: 'StartPayment', data: { reservationId, paymentKey, now: at } });
const tickets = (reservationId: string, seats: string[]) => seats.map((seatId) => ({ ticketId: `ticket-${reservationId}-${seatId}`, seatId }));
const confirmCommand = (reservationId: string, seats: string[], at = now, paymentKey = 'key-1', paymentId = 'pay-1'): ShowCommand => ({
  type: 'ConfirmReservation',
  data: { reservationId, paymentKey, paymentId, tickets: tickets(reservationId, seats), now: at },
});
const expire = (reservationId: string, at = expiresAt, offerIds: string[] = []): ShowCommand => ({ type: 'ExpireReservation', data: { reservationId, offerIds, now: at } });
const cancel = (reservationId: string, refundedPaymentId: string | null = null, at = now, offerIds: string[] = []): ShowCommand => ({
  type: 'CancelReservation',
  data: { reservationId, refundedPaymentId, offerIds, now: at },
});
const join = (waitlistId: string, customerId: string, quantity: number, at = now): ShowCommand => ({ type: 'JoinWaitlist', data: { showId, waitlistId, customerId, quantity, now: at } });
const leave = (waitlistId: string, at = now): ShowCommand => ({ type: 'LeaveWaitlist', data: { waitlistId, now: at } });

const paymentStarted = (reservationId: string, paymentKey: string, amountCents: number, startedAt = now): ReservationPaymentStarted => ({
  type: 'ReservationPaymentStarted',
  data: { showId, reservationId, paymentKey, amountCents, startedAt },
});
const confirmedEvent = (reservationId: string, customerId: string, seats: string[], totalCents: number, paymentKey = 'key-1', paymentId = 'pay-1'): ReservationConfirmed => ({
  type: 'ReservationConfirmed',
  data: { showId, reservationId, customerId, paymentId, paymentKey, tickets: tickets(reservationId, seats), totalCents, confirmedAt: now },
});
const expiredEvent = (reservationId: string, customerId: string, seats: string[], at = expiresAt, waitlistId: string | null = null): ReservationExpired => ({
  type: 'ReservationExpired',
  data: { showId, reservationId, customerId, seats, waitlistId, expiredAt: at },
});
const cancelledEvent = (reservationId: string, customerId: string, seats: string[], refundedPaymentId: string | null = null, at = now): ReservationCancelled => ({
  type: 'ReservationCancelled',
  data: { showId, reservationId, customerId, seats, refundedPaymentId, cancelledAt: at },
});
const joinedEvent = (waitlistId: string, customerId: string, quantity: number, place: number): WaitlistJoined => ({
  type: 'WaitlistJoined',
  data: { showId, waitlistId, customerId, quantity, place, joinedAt: now },
});
const leftEvent = (waitlistId: string, customerId: string): WaitlistLeft => ({ type: 'WaitlistLeft', data: { showId, waitlistId, customerId, leftAt: now } });
const offeredEvent = (waitlistId: string, customerId: string, reservationId: string, at: string): WaitlistOffered => ({
  type: 'WaitlistOffered',
  data: { showId, waitlistId, customerId, reservationId, offeredAt: at },
});

/** Ann holds A-1-1 and A-1-2 (20.00). */
const annHolds = heldEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000);

/** The small show sold out: r1 (ann) holds row 1, r2 (bob) row 2. */
const soldOut: ShowEvent[] = [small, heldEvent(r1, ann, ['A-1-1', 'A-1-2', 'A-1-3'], 3000), heldEvent(r2, bob, ['A-2-1', 'A-2-2'], 2000)];

describe('show decider', () => {
  describe('CreateShow', () => {
    it('creates the show with its seat map as given', () => {
      show.given([]).when({ type: 'CreateShow', data: createData }).then([created]);
    });

    it('creating it again records nothing (a retried create)', () => {
      show.given([created]).when({ type: 'CreateShow', data: createData }).then([]);
    });
  });

  describe('ReserveSeats: specific seats', () => {
    it('holds them until now + holdSeconds, priced by their sections', () => {
      show
        .given([created])
        .when(reserveSeats(r1, ['A-1-1', 'B-1-2', 'A-2-5']))
        .then([heldEvent(r1, ann, ['A-1-1', 'B-1-2', 'A-2-5'], 1000 + 2500 + 1000)]);
    });

    it('holds ten seats, the most one reservation may hold', () => {
      const ten = ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1', 'A-2-2', 'A-2-3', 'B-1-1', 'B-1-2'];
      show.given([created]).when(reserveSeats(r1, ten)).then([heldEvent(r1, ann, ten, 8 * 1000 + 2 * 2500)]);
    });

    it('refuses seats that are not on the map with 422, naming exactly those', () => {
      show
        .given([created])
        .when(reserveSeats(r1, ['A-1-1', 'A-3-1', 'C-1-1', 'A-1-6', 'A-1-0', 'B-1-3']))
        .thenThrows(refusal({ code: 'TICKETING_UNKNOWN_SEAT', status: 422, details: { seats: ['A-3-1', 'C-1-1', 'A-1-6', 'A-1-0'] } }));
      show.given([created]).when(reserveSeats(r1, ['A-1-01'])).thenThrows(UnknownSeat);
    });

    it('refuses seats held or sold with 409, naming exactly the taken ones', () => {
      show
        .given([created, annHolds, heldEvent(r2, bob, ['B-1-1'], 2500), confirmedEvent(r2, bob, ['B-1-1'], 2500)])
        .when(reserveSeats(r3, ['A-1-3', 'A-1-2', 'B-1-1', 'B-1-2'], now, cid))
        .thenThrows(refusal({ code: 'TICKETING_SEATS_UNAVAILABLE', status: 409, details: { seats: ['A-1-2', 'B-1-1'] } }));
    });

    it('refuses more than ten seats', () => {
      const eleven = ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1', 'A-2-2', 'A-2-3', 'A-2-4', 'A-2-5', 'B-1-1'];
      show.given([created]).when(reserveSeats(r1, eleven)).thenThrows(refusal({ code: 'TICKETING_TOO_MANY_SEATS', status: 422, details: { asked: 11, max: 10 } }));
    });

    it('refuses once the show has started, from its startsAt on', () => {
      show.given([created]).when(reserveSeats(r1, ['A-1-1'], startsAt)).thenThrows(refusal({ code: 'TICKETING_SHOW_STARTED', details: { startsAt } }));
      show.given([created]).when(reserveSeats(r1, ['A-1-1'], '2027-03-02T00:00:00.000Z')).thenThrows(ShowStarted);
      show.given([created]).when(reserveSeats(r1, ['A-1-1'], '2027-03-01T19:29:59.999Z')).then([heldEvent(r1, ann, ['A-1-1'], 1000, { heldAt: '2027-03-01T19:29:59.999Z' })]);
    });

    it('an unknown show is NOT_FOUND, naming the show', () => {
      show.given([]).when(reserveSeats(r1, ['A-1-1'])).thenThrows(refusal({ code: 'NOT_FOUND', status: 404, details: { id: showId } }));
    });

    it('a seat named twice is held once', () => {
      show.given([created]).when(reserveSeats(r1, ['A-1-1', 'A-1-2', 'A-1-1'])).then([heldEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000)]);
    });

    it('the same reservation id again records nothing (a retried hold holds once)', () => {
      show.given([created, annHolds]).when(reserveSeats(r1, ['A-1-1', 'A-1-2'])).then([]);
      show.given([created, annHolds]).when(reserveSeats(r1, ['A-1-3'])).then([]);
    });

    it('seats that expired or were cancelled can be held again', () => {
      show.given([created, annHolds, expiredEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(reserveSeats(r2, ['A-1-2'], later, bob)).then([heldEvent(r2, bob, ['A-1-2'], 1000, { heldAt: later })]);
      show.given([created, annHolds, cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(reserveSeats(r2, ['A-1-1'], now, bob)).then([heldEvent(r2, bob, ['A-1-1'], 1000)]);
    });
  });

  describe('ReserveSeats: best available of a section', () => {
    it('holds the leftmost run side by side in the front row', () => {
      show.given([created]).when(reserveBest(r1, 'A', 3)).then([heldEvent(r1, ann, ['A-1-1', 'A-1-2', 'A-1-3'], 3000)]);
      show.given([created, heldEvent(r2, bob, ['A-1-1'], 1000)]).when(reserveBest(r1, 'A', 2)).then([heldEvent(r1, ann, ['A-1-2', 'A-1-3'], 2000)]);
      show.given([created]).when(reserveBest(r1, 'B', 2)).then([heldEvent(r1, ann, ['B-1-1', 'B-1-2'], 5000)]);
    });

    it('skips a gap too small for the group in the front row', () => {
      show.given([created, heldEvent(r2, bob, ['A-1-2'], 1000)]).when(reserveBest(r1, 'A', 3)).then([heldEvent(r1, ann, ['A-1-3', 'A-1-4', 'A-1-5'], 3000)]);
    });

    it('goes to the next row when the front row has no run that long, though it has enough free seats', () => {
      show.given([created, heldEvent(r2, bob, ['A-1-3'], 1000)]).when(reserveBest(r1, 'A', 3)).then([heldEvent(r1, ann, ['A-2-1', 'A-2-2', 'A-2-3'], 3000)]);
    });

    it('falls back to the first free seats from the front when no row has them side by side', () => {
      show
        .given([created, heldEvent(r2, bob, ['A-1-2', 'A-1-4', 'A-2-2', 'A-2-4'], 4000)])
        .when(reserveBest(r1, 'A', 4))
        .then([heldEvent(r1, ann, ['A-1-1', 'A-1-3', 'A-1-5', 'A-2-1'], 4000)]);
    });

    it('an unknown section is TICKETING_UNKNOWN_SEAT naming it', () => {
      show.given([created]).when(reserveBest(r1, 'Z', 2)).thenThrows(refusal({ code: 'TICKETING_UNKNOWN_SEAT', status: 422, details: { seats: [], section: 'Z' } }));
    });

    it('a section with too few free seats is TICKETING_SEATS_UNAVAILABLE with how many are free', () => {
      show
        .given([created, heldEvent(r2, bob, ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1', 'A-2-2', 'A-2-3'], 8000)])
        .when(reserveBest(r1, 'A', 3))
        .thenThrows(refusal({ code: 'TICKETING_SEATS_UNAVAILABLE', status: 409, details: { seats: [], section: 'A', available: 2 } }));
      show.given([created]).when(reserveBest(r1, 'B', 4)).thenThrows(SeatsUnavailable);
    });

    it('refuses more than ten, and once the show has started', () => {
      show.given([created]).when(reserveBest(r1, 'A', 11)).thenThrows(refusal({ code: 'TICKETING_TOO_MANY_SEATS', details: { asked: 11 } }));
      show.given([created]).when(reserveBest(r1, 'A', 1, startsAt)).thenThrows(ShowStarted);
    });
  });

  describe('StartPayment', () => {
    it('records a payment of the hold’s total under its key while the hold runs', () => {
      show.given([created, annHolds]).when(startPayment(r1, 'key-1', justBefore)).then([paymentStarted(r1, 'key-1', 2000, justBefore)]);
    });

    it('the same key again records nothing; another key is another payment', () => {
      show.given([created, annHolds, paymentStarted(r1, 'key-1', 2000)]).when(startPayment(r1, 'key-1')).then([]);
      show.given([created, annHolds, paymentStarted(r1, 'key-1', 2000)]).when(startPayment(r1, 'key-2')).then([paymentStarted(r1, 'key-2', 2000)]);
    });

    it('refuses from expiresAt on, before the worker expired the hold too', () => {
      show.given([created, annHolds]).when(startPayment(r1, 'key-1', expiresAt)).thenThrows(refusal({ code: 'TICKETING_RESERVATION_EXPIRED', status: 409, details: { reservationId: r1, expiresAt } }));
      show.given([created, annHolds, expiredEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(startPayment(r1, 'key-1', later)).thenThrows(ReservationExpiredError);
    });

    it('refuses a cancelled reservation', () => {
      show.given([created, annHolds, cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(startPayment(r1, 'key-1')).thenThrows(refusal({ code: 'TICKETING_RESERVATION_CANCELLED', status: 409 }));
    });

    it('a confirmed reservation records nothing: nothing is charged again', () => {
      show.given([created, annHolds, paymentStarted(r1, 'key-1', 2000), confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000)]).when(startPayment(r1, 'key-2', later)).then([]);
    });

    it('an unknown reservation is NOT_FOUND', () => {
      show.given([created]).when(startPayment(r1, 'key-1')).thenThrows(NotFoundError);
    });
  });

  describe('ConfirmReservation', () => {
    it('a held reservation before its expiresAt is confirmed with its tickets and total', () => {
      show
        .given([created, annHolds, paymentStarted(r1, 'key-1', 2000)])
        .when(confirmCommand(r1, ['A-1-1', 'A-1-2'], justBefore))
        .then([{ ...confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000), data: { ...confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000).data, confirmedAt: justBefore } }]);
    });

    it('at or after expiresAt it is TICKETING_RESERVATION_EXPIRED, even though the worker has not expired it yet', () => {
      const given = show.given([created, annHolds, paymentStarted(r1, 'key-1', 2000)]);
      given.when(confirmCommand(r1, ['A-1-1', 'A-1-2'], expiresAt)).thenThrows(refusal({ code: 'TICKETING_RESERVATION_EXPIRED', status: 409, details: { reservationId: r1, expiresAt } }));
      given.when(confirmCommand(r1, ['A-1-1', 'A-1-2'], later)).thenThrows(ReservationExpiredError);
    });

    it('an expired reservation is TICKETING_RESERVATION_EXPIRED', () => {
      show.given([created, annHolds, expiredEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(confirmCommand(r1, ['A-1-1', 'A-1-2'], later)).thenThrows(ReservationExpiredError);
    });

    it('a cancelled or refunded reservation is TICKETING_RESERVATION_CANCELLED', () => {
      show.given([created, annHolds, cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(confirmCommand(r1, ['A-1-1', 'A-1-2'])).thenThrows(refusal({ code: 'TICKETING_RESERVATION_CANCELLED', details: { reservationId: r1 } }));
      show
        .given([created, annHolds, confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000), cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'], 'pay-1')])
        .when(confirmCommand(r1, ['A-1-1', 'A-1-2'], now, 'key-2', 'pay-2'))
        .thenThrows(ReservationCancelledError);
    });

    it('confirmed already records nothing, by the same payment or another that lost the race', () => {
      const given = show.given([created, annHolds, confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000)]);
      given.when(confirmCommand(r1, ['A-1-1', 'A-1-2'])).then([]);
      given.when(confirmCommand(r1, ['A-1-1', 'A-1-2'], later, 'key-2', 'pay-2')).then([]);
    });

    it('an unknown reservation is NOT_FOUND', () => {
      show.given([created]).when(confirmCommand(r1, ['A-1-1'])).thenThrows(NotFoundError);
    });
  });

  describe('RecordPaymentRefunded', () => {
    const refund: ShowCommand = { type: 'RecordPaymentRefunded', data: { reservationId: r1, paymentKey: 'key-1', paymentId: 'pay-1', now: later } };
    const refunded: ReservationPaymentRefunded = {
      type: 'ReservationPaymentRefunded',
      data: { showId, reservationId: r1, paymentKey: 'key-1', paymentId: 'pay-1', amountCents: 2000, refundedAt: later },
    };
    const expiredWithPayment = [created, annHolds, paymentStarted(r1, 'key-1', 2000), expiredEvent(r1, ann, ['A-1-1', 'A-1-2'])];

    it('records the refund of a payment started on the reservation, for the amount it started with', () => {
      show.given(expiredWithPayment).when(refund).then([refunded]);
    });

    it('records it once', () => {
      show.given([...expiredWithPayment, refunded]).when(refund).then([]);
    });

    it('a key no payment was started under records nothing', () => {
      show.given(expiredWithPayment).when({ ...refund, data: { ...refund.data, paymentKey: 'key-9' } }).then([]);
    });
  });

  describe('ExpireReservation', () => {
    it('expires a held reservation whose expiresAt has come, returning its seats', () => {
      show.given([created, annHolds]).when(expire(r1, expiresAt)).then([expiredEvent(r1, ann, ['A-1-1', 'A-1-2'], expiresAt)]);
      show.given([created, annHolds]).when(expire(r1, later)).then([expiredEvent(r1, ann, ['A-1-1', 'A-1-2'], later)]);
    });

    it('decides nothing before expiresAt (a timer that fired early)', () => {
      show.given([created, annHolds]).when(expire(r1, justBefore)).then([]);
    });

    it('decides nothing for a reservation confirmed, cancelled or expired already (a redelivery)', () => {
      show.given([created, annHolds, confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000)]).when(expire(r1, later)).then([]);
      show.given([created, annHolds, cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(expire(r1, later)).then([]);
      show.given([created, annHolds, expiredEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(expire(r1, later)).then([]);
    });

    it('its seats are free again: another customer can hold them, and best available finds them', () => {
      const given = show.given([created, annHolds, expiredEvent(r1, ann, ['A-1-1', 'A-1-2'])]);
      given.when(reserveSeats(r2, ['A-1-1', 'A-1-2'], later, bob)).then([heldEvent(r2, bob, ['A-1-1', 'A-1-2'], 2000, { heldAt: later })]);
      given.when(reserveBest(r2, 'A', 5, later, bob)).then([heldEvent(r2, bob, ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5'], 5000, { heldAt: later })]);
    });

    it('offers the seats to the waitlist in line: the first whose quantity fits, skipping one that does not, one offer id each, in order', () => {
      // Row 1 (3 seats) returns; w1 wants 4 (does not fit), w2 2, w3 1, w4 1.
      show
        .given([...soldOut, joinedEvent(w1, cid, 4, 1), joinedEvent(w2, dan, 2, 2), joinedEvent(w3, bob, 1, 3), joinedEvent(w4, cid, 1, 4)])
        .when(expire(r1, later, [o1, o2, o3]))
        .then([
          expiredEvent(r1, ann, ['A-1-1', 'A-1-2', 'A-1-3'], later),
          heldEvent(o1, dan, ['A-1-1', 'A-1-2'], 2000, { heldAt: later, waitlistId: w2 }),
          offeredEvent(w2, dan, o1, later),
          heldEvent(o2, bob, ['A-1-3'], 1000, { heldAt: later, waitlistId: w3 }),
          offeredEvent(w3, bob, o2, later),
        ]);
    });

    it('makes no more offers than it has offer ids', () => {
      show
        .given([...soldOut, joinedEvent(w2, dan, 1, 1), joinedEvent(w3, bob, 1, 2)])
        .when(expire(r1, later, [o1]))
        .then([expiredEvent(r1, ann, ['A-1-1', 'A-1-2', 'A-1-3'], later), heldEvent(o1, dan, ['A-1-1'], 1000, { heldAt: later, waitlistId: w2 }), offeredEvent(w2, dan, o1, later)]);
    });

    it('skips entries that left the line or were offered seats already', () => {
      show
        .given([...soldOut, joinedEvent(w1, cid, 1, 1), joinedEvent(w2, dan, 1, 2), joinedEvent(w3, bob, 1, 3), leftEvent(w1, cid)])
        .when(expire(r2, later, [o1]))
        .then([expiredEvent(r2, bob, ['A-2-1', 'A-2-2'], later), heldEvent(o1, dan, ['A-2-1'], 1000, { heldAt: later, waitlistId: w2 }), offeredEvent(w2, dan, o1, later)]);
      show
        .given([
          ...soldOut,
          joinedEvent(w2, dan, 2, 1),
          joinedEvent(w3, bob, 1, 2),
          expiredEvent(r2, bob, ['A-2-1', 'A-2-2'], later),
          heldEvent(o1, dan, ['A-2-1', 'A-2-2'], 2000, { heldAt: later, waitlistId: w2 }),
          offeredEvent(w2, dan, o1, later),
        ])
        .when(expire(r1, later, [o2]))
        .then([expiredEvent(r1, ann, ['A-1-1', 'A-1-2', 'A-1-3'], later), heldEvent(o2, bob, ['A-1-1'], 1000, { heldAt: later, waitlistId: w3 }), offeredEvent(w3, bob, o2, later)]);
    });

    it('an offer that expires says which waitlist entry it was for, and its seats go on down the line', () => {
      const offered = [
        ...soldOut,
        joinedEvent(w2, dan, 2, 1),
        joinedEvent(w3, bob, 2, 2),
        expiredEvent(r2, bob, ['A-2-1', 'A-2-2'], now),
        heldEvent(o1, dan, ['A-2-1', 'A-2-2'], 2000, { heldAt: now, waitlistId: w2 }),
        offeredEvent(w2, dan, o1, now),
      ];
      show
        .given(offered)
        .when(expire(o1, later, [o2]))
        .then([expiredEvent(o1, dan, ['A-2-1', 'A-2-2'], later, w2), heldEvent(o2, bob, ['A-2-1', 'A-2-2'], 2000, { heldAt: later, waitlistId: w3 }), offeredEvent(w3, bob, o2, later)]);
    });

    it('makes no offers once the show has started', () => {
      show.given([...soldOut, joinedEvent(w2, dan, 1, 1)]).when(expire(r1, startsAt, [o1])).then([expiredEvent(r1, ann, ['A-1-1', 'A-1-2', 'A-1-3'], startsAt)]);
    });
  });

  describe('CancelReservation', () => {
    it('cancels a held reservation and returns its seats', () => {
      show.given([created, annHolds]).when(cancel(r1)).then([cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'])]);
      show.given([created, annHolds, cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(reserveSeats(r2, ['A-1-1', 'A-1-2'], now, bob)).then([heldEvent(r2, bob, ['A-1-1', 'A-1-2'], 2000)]);
    });

    it('a held reservation records no refund, whatever the caller passed', () => {
      show.given([created, annHolds]).when(cancel(r1, 'pay-1')).then([cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'], null)]);
    });

    it('a confirmed one is cancelled as refunded once its own payment is refunded', () => {
      const confirmed = [created, annHolds, paymentStarted(r1, 'key-1', 2000), confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000)];
      show.given(confirmed).when(cancel(r1, 'pay-1')).then([cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'], 'pay-1')]);
      show.given([...confirmed, cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'], 'pay-1')]).when(reserveSeats(r2, ['A-1-2'], now, bob)).then([heldEvent(r2, bob, ['A-1-2'], 1000)]);
    });

    it('a confirmed one without its refundedPaymentId is ConfirmedMeanwhile (the caller refunds it and cancels again)', () => {
      const confirmed = show.given([created, annHolds, confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000)]);
      confirmed.when(cancel(r1, null)).thenThrows(ConfirmedMeanwhile);
      confirmed.when(cancel(r1, 'pay-other')).thenThrows(ConfirmedMeanwhile);
    });

    it('an expired one is TICKETING_RESERVATION_EXPIRED (409)', () => {
      show.given([created, annHolds, expiredEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(cancel(r1, null, later)).thenThrows(refusal({ code: 'TICKETING_RESERVATION_EXPIRED', status: 409 }));
    });

    it('a held one past its expiresAt is TICKETING_RESERVATION_EXPIRED too, before the worker has expired it: expiresAt decides, not the worker’s timing', () => {
      show.given([created, annHolds]).when(cancel(r1, null, expiresAt)).thenThrows(refusal({ code: 'TICKETING_RESERVATION_EXPIRED', status: 409 }));
    });

    it('twice records nothing, cancelled or refunded', () => {
      show.given([created, annHolds, cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'])]).when(cancel(r1)).then([]);
      show.given([created, annHolds, confirmedEvent(r1, ann, ['A-1-1', 'A-1-2'], 2000), cancelledEvent(r1, ann, ['A-1-1', 'A-1-2'], 'pay-1')]).when(cancel(r1, 'pay-1')).then([]);
    });

    it('the returned seats are offered to the waitlist as an expiry’s are', () => {
      show
        .given([...soldOut, joinedEvent(w1, cid, 3, 1), joinedEvent(w2, dan, 2, 2)])
        .when(cancel(r2, null, now, [o1, o2]))
        .then([cancelledEvent(r2, bob, ['A-2-1', 'A-2-2']), heldEvent(o1, dan, ['A-2-1', 'A-2-2'], 2000, { waitlistId: w2 }), offeredEvent(w2, dan, o1, now)]);
    });

    it('an unknown reservation is NOT_FOUND', () => {
      show.given([created]).when(cancel(r1)).thenThrows(NotFoundError);
    });
  });

  describe('JoinWaitlist', () => {
    it('is refused while enough seats are free for the quantity', () => {
      show.given([created]).when(join(w1, cid, 2)).thenThrows(refusal({ code: 'TICKETING_SEATS_AVAILABLE', status: 409, details: { quantity: 2, available: 13 } }));
      show.given([small, heldEvent(r1, ann, ['A-1-1', 'A-1-2', 'A-1-3'], 3000)]).when(join(w1, cid, 2)).thenThrows(SeatsAvailable);
    });

    it('joins when fewer seats are free than asked, places counting up from 1', () => {
      show.given([small, heldEvent(r1, ann, ['A-1-1', 'A-1-2', 'A-1-3'], 3000)]).when(join(w1, cid, 3)).then([joinedEvent(w1, cid, 3, 1)]);
      show.given(soldOut).when(join(w1, cid, 1)).then([joinedEvent(w1, cid, 1, 1)]);
      show.given([...soldOut, joinedEvent(w1, cid, 1, 1)]).when(join(w2, dan, 2)).then([joinedEvent(w2, dan, 2, 2)]);
    });

    it('places keep counting up after one left or was offered seats', () => {
      show.given([...soldOut, joinedEvent(w1, cid, 1, 1), joinedEvent(w2, dan, 1, 2), leftEvent(w1, cid)]).when(join(w3, bob, 1)).then([joinedEvent(w3, bob, 1, 3)]);
    });

    it('the same waitlist id again records nothing', () => {
      show.given([...soldOut, joinedEvent(w1, cid, 1, 1)]).when(join(w1, cid, 1)).then([]);
    });

    it('refuses more than ten, a show that started, and an unknown show', () => {
      show.given(soldOut).when(join(w1, cid, 11)).thenThrows(TooManySeats);
      show.given(soldOut).when(join(w1, cid, 1, startsAt)).thenThrows(ShowStarted);
      show.given([]).when(join(w1, cid, 1)).thenThrows(NotFoundError);
    });
  });

  describe('LeaveWaitlist', () => {
    it('a waiting entry leaves the line', () => {
      show.given([...soldOut, joinedEvent(w1, cid, 1, 1)]).when(leave(w1)).then([leftEvent(w1, cid)]);
    });

    it('an entry that left, or was offered seats, is left as it is', () => {
      show.given([...soldOut, joinedEvent(w1, cid, 1, 1), leftEvent(w1, cid)]).when(leave(w1)).then([]);
      show
        .given([...soldOut, joinedEvent(w1, cid, 1, 1), expiredEvent(r2, bob, ['A-2-1', 'A-2-2'], later), heldEvent(o1, cid, ['A-2-1'], 1000, { heldAt: later, waitlistId: w1 }), offeredEvent(w1, cid, o1, later)])
        .when(leave(w1))
        .then([]);
    });

    it('an unknown entry is NOT_FOUND', () => {
      show.given(soldOut).when(leave(w1)).thenThrows(NotFoundError);
    });
  });
});

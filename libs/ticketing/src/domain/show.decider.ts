import { assertNever, type Decider, NotFoundError, PersistentMap } from '@app/core/domain';
import type { SeatsHeld, ShowCreated, ShowEvent } from '../contract/ticketing.events';
import { assignSeats, bestAvailable, emptySeats, holderAt, locate, MAX_SEATS_PER_RESERVATION, type SectionSeats } from './seat-map';
import {
  ReservationCancelledError,
  ReservationExpiredError,
  SeatsAvailable,
  SeatsUnavailable,
  ShowStarted,
  TooManySeats,
  UnknownSeat,
} from './ticketing.errors';

export type ReservationStatus = 'held' | 'confirmed' | 'expired' | 'cancelled' | 'refunded';

export interface ReservationState {
  reservationId: string;
  customerId: string;
  seats: readonly string[];
  totalCents: number;
  status: ReservationStatus;
  heldAt: string;
  expiresAt: string;
  waitlistId: string | null;
  /** The payment keys a charge was started under, and those refunded since. */
  paymentKeys: readonly { key: string; amountCents: number }[];
  refundedKeys: readonly string[];
  paymentId: string | null;
  paymentKey: string | null;
  tickets: readonly { ticketId: string; seatId: string }[];
}

export type WaitlistStatus = 'waiting' | 'offered' | 'expired' | 'left';

export interface WaitlistEntryState {
  waitlistId: string;
  customerId: string;
  quantity: number;
  place: number;
  status: WaitlistStatus;
  reservationId: string | null;
}

export interface ShowState {
  show: Omit<ShowCreated['data'], 'sections'> | null;
  sections: readonly SectionSeats[];
  /** Free seats of the whole show. */
  free: number;
  reservations: PersistentMap<ReservationState>;
  waitlist: PersistentMap<WaitlistEntryState>;
  /** The waitlist entries still waiting, in line. */
  waiting: readonly string[];
  /** Places given so far (the next joins at joined + 1). */
  joined: number;
}

type Now = { now: string };

export type ShowCommand =
  | { type: 'CreateShow'; data: ShowCreated['data'] }
  | { type: 'ReserveSeats'; data: Now & { showId: string; reservationId: string; customerId: string } & ({ seats: readonly string[] } | { section: string; quantity: number }) }
  | { type: 'StartPayment'; data: Now & { reservationId: string; paymentKey: string } }
  | { type: 'ConfirmReservation'; data: Now & { reservationId: string; paymentKey: string; paymentId: string; tickets: { ticketId: string; seatId: string }[] } }
  | { type: 'RecordPaymentRefunded'; data: Now & { reservationId: string; paymentKey: string; paymentId: string } }
  /** `offerIds`: reservation ids for the waitlist offers the returned seats make, in order (at most that many offers). */
  | { type: 'ExpireReservation'; data: Now & { reservationId: string; offerIds: readonly string[] } }
  | { type: 'CancelReservation'; data: Now & { reservationId: string; refundedPaymentId: string | null; offerIds: readonly string[] } }
  | { type: 'JoinWaitlist'; data: Now & { showId: string; waitlistId: string; customerId: string; quantity: number } }
  | { type: 'LeaveWaitlist'; data: Now & { waitlistId: string } };

/**
 * A cancel decided for a held reservation found it confirmed (its payment won a race): the caller
 * refunds the payment and cancels again. Not an answer to a client, so no code of its own.
 */
export class ConfirmedMeanwhile extends Error {
  override readonly name = 'ConfirmedMeanwhile';

  constructor(reservationId: string) {
    super(`Reservation ${reservationId} was confirmed meanwhile: its payment is refunded before it is cancelled`);
  }
}

export function showStream(showId: string): string {
  return `ticketing-show-${showId}`;
}

const initialState = (): ShowState => ({
  show: null,
  sections: [],
  free: 0,
  reservations: PersistentMap.empty(),
  waitlist: PersistentMap.empty(),
  waiting: [],
  joined: 0,
});

function existingShow(state: ShowState, showId: string): NonNullable<ShowState['show']> {
  if (!state.show) throw new NotFoundError('Show', showId);
  return state.show;
}

function existingReservation(state: ShowState, reservationId: string): ReservationState {
  const reservation = state.reservations.get(reservationId);
  if (!reservation) throw new NotFoundError('Reservation', reservationId);
  return reservation;
}

function addSeconds(instant: string, seconds: number): string {
  return new Date(Date.parse(instant) + seconds * 1000).toISOString();
}

function priceOf(sections: readonly SectionSeats[], seats: readonly string[]): number {
  return seats.reduce((sum, id) => sum + sections[locate(sections, id)!.section].priceCents, 0);
}

function held(state: ShowState, data: Omit<SeatsHeld['data'], 'showId' | 'totalCents' | 'expiresAt'>): SeatsHeld {
  const show = state.show!;
  return {
    type: 'SeatsHeld',
    data: { showId: show.showId, ...data, totalCents: priceOf(state.sections, data.seats), expiresAt: addSeconds(data.heldAt, show.holdSeconds) },
  };
}

/** The seats a hold takes, or the rule it breaks. */
function seatsFor(state: ShowState, request: { seats: readonly string[] } | { section: string; quantity: number }): string[] {
  if ('seats' in request) {
    // A seat named twice is one seat.
    const seats = [...new Set(request.seats)];
    if (seats.length > MAX_SEATS_PER_RESERVATION) throw new TooManySeats(seats.length);
    const unknown = seats.filter((id) => !locate(state.sections, id));
    if (unknown.length > 0) throw new UnknownSeat(unknown);
    const taken = seats.filter((id) => holderAt(state.sections, locate(state.sections, id)!) !== null);
    if (taken.length > 0) throw new SeatsUnavailable(taken);
    return seats;
  }
  if (request.quantity > MAX_SEATS_PER_RESERVATION) throw new TooManySeats(request.quantity);
  const section = state.sections.find((s) => s.name === request.section);
  if (!section) throw new UnknownSeat([], request.section);
  const seats = bestAvailable(section, request.quantity);
  if (!seats) throw new SeatsUnavailable([], { section: section.name, available: section.free });
  return seats;
}

/** Free seats anywhere for a waitlist entry: the best of one section when one has enough, else the first free from the front. */
function seatsForOffer(sections: readonly SectionSeats[], quantity: number): string[] | null {
  for (const section of sections) {
    const seats = section.free >= quantity ? bestAvailable(section, quantity) : null;
    if (seats) return seats;
  }
  const seats: string[] = [];
  for (const section of sections) {
    if (seats.length === quantity) break;
    const some = bestAvailable(section, Math.min(section.free, quantity - seats.length));
    if (some) seats.push(...some);
  }
  return seats.length === quantity ? seats : null;
}

/**
 * The seats returned by `returned` (an expiry or a cancel) offered to the waitlist: in line, each
 * entry whose quantity fits the free seats gets a hold of its own, one per offer id.
 */
function withOffers(state: ShowState, returned: ShowEvent, offerIds: readonly string[], now: string): ShowEvent[] {
  const events: ShowEvent[] = [returned];
  let next = evolve(state, returned);
  const show = next.show!;
  if (Date.parse(now) >= Date.parse(show.startsAt)) return events;
  let offers = 0;
  for (const waitlistId of state.waiting) {
    if (offers >= offerIds.length || next.free === 0) break;
    const entry = next.waitlist.get(waitlistId)!;
    if (entry.quantity > next.free) continue;
    const seats = seatsForOffer(next.sections, entry.quantity);
    if (!seats) continue;
    const reservationId = offerIds[offers++];
    const offer: ShowEvent[] = [
      held(next, { reservationId, customerId: entry.customerId, seats, heldAt: now, waitlistId }),
      { type: 'WaitlistOffered', data: { showId: show.showId, waitlistId, customerId: entry.customerId, reservationId, offeredAt: now } },
    ];
    for (const event of offer) next = evolve(next, event);
    events.push(...offer);
  }
  return events;
}

/** A reservation that cannot be paid for: cancelled, expired, or past its expiresAt. */
function refusePayment(reservation: ReservationState, now: string): void {
  if (reservation.status === 'cancelled' || reservation.status === 'refunded') throw new ReservationCancelledError(reservation.reservationId);
  if (reservation.status === 'expired' || (reservation.status === 'held' && Date.parse(now) >= Date.parse(reservation.expiresAt))) {
    throw new ReservationExpiredError(reservation.reservationId, reservation.expiresAt);
  }
}

function decide(command: ShowCommand, state: ShowState): ShowEvent[] {
  switch (command.type) {
    case 'CreateShow':
      return state.show ? [] : [{ type: 'ShowCreated', data: command.data }];
    case 'ReserveSeats': {
      const { reservationId, customerId, now } = command.data;
      const show = existingShow(state, command.data.showId);
      if (state.reservations.has(reservationId)) return [];
      if (Date.parse(now) >= Date.parse(show.startsAt)) throw new ShowStarted(show.startsAt);
      return [held(state, { reservationId, customerId, seats: seatsFor(state, command.data), heldAt: now, waitlistId: null })];
    }
    case 'StartPayment': {
      const { reservationId, paymentKey, now } = command.data;
      const reservation = existingReservation(state, reservationId);
      if (reservation.status === 'confirmed' || reservation.paymentKeys.some((p) => p.key === paymentKey)) return [];
      refusePayment(reservation, now);
      return [{ type: 'ReservationPaymentStarted', data: { showId: state.show!.showId, reservationId, paymentKey, amountCents: reservation.totalCents, startedAt: now } }];
    }
    case 'ConfirmReservation': {
      const { reservationId, paymentKey, paymentId, tickets, now } = command.data;
      const reservation = existingReservation(state, reservationId);
      // Confirmed already (by this payment, or by another that won a race): nothing more to record.
      if (reservation.status === 'confirmed') return [];
      refusePayment(reservation, now);
      return [
        {
          type: 'ReservationConfirmed',
          data: { showId: state.show!.showId, reservationId, customerId: reservation.customerId, paymentId, paymentKey, tickets, totalCents: reservation.totalCents, confirmedAt: now },
        },
      ];
    }
    case 'RecordPaymentRefunded': {
      const { reservationId, paymentKey, paymentId, now } = command.data;
      const reservation = existingReservation(state, reservationId);
      const started = reservation.paymentKeys.find((p) => p.key === paymentKey);
      if (!started || reservation.refundedKeys.includes(paymentKey)) return [];
      return [{ type: 'ReservationPaymentRefunded', data: { showId: state.show!.showId, reservationId, paymentKey, paymentId, amountCents: started.amountCents, refundedAt: now } }];
    }
    case 'ExpireReservation': {
      const { reservationId, offerIds, now } = command.data;
      const reservation = existingReservation(state, reservationId);
      if (reservation.status !== 'held' || Date.parse(now) < Date.parse(reservation.expiresAt)) return [];
      const { customerId, seats, waitlistId } = reservation;
      return withOffers(state, { type: 'ReservationExpired', data: { showId: state.show!.showId, reservationId, customerId, seats: [...seats], waitlistId, expiredAt: now } }, offerIds, now);
    }
    case 'CancelReservation': {
      const { reservationId, refundedPaymentId, offerIds, now } = command.data;
      const reservation = existingReservation(state, reservationId);
      if (reservation.status === 'cancelled' || reservation.status === 'refunded') return [];
      // expiresAt is authoritative: a hold past it is expired, whether or not the worker has expired it yet.
      if (reservation.status === 'expired' || (reservation.status === 'held' && Date.parse(now) >= Date.parse(reservation.expiresAt))) {
        throw new ReservationExpiredError(reservationId, reservation.expiresAt);
      }
      if (reservation.status === 'confirmed' && refundedPaymentId !== reservation.paymentId) throw new ConfirmedMeanwhile(reservationId);
      const cancelled: ShowEvent = {
        type: 'ReservationCancelled',
        data: {
          showId: state.show!.showId,
          reservationId,
          customerId: reservation.customerId,
          seats: [...reservation.seats],
          refundedPaymentId: reservation.status === 'confirmed' ? refundedPaymentId : null,
          cancelledAt: now,
        },
      };
      return withOffers(state, cancelled, offerIds, now);
    }
    case 'JoinWaitlist': {
      const { waitlistId, customerId, quantity, now } = command.data;
      const show = existingShow(state, command.data.showId);
      if (state.waitlist.has(waitlistId)) return [];
      if (Date.parse(now) >= Date.parse(show.startsAt)) throw new ShowStarted(show.startsAt);
      if (quantity > MAX_SEATS_PER_RESERVATION) throw new TooManySeats(quantity);
      if (state.free >= quantity) throw new SeatsAvailable(quantity, state.free);
      return [{ type: 'WaitlistJoined', data: { showId: show.showId, waitlistId, customerId, quantity, place: state.joined + 1, joinedAt: now } }];
    }
    case 'LeaveWaitlist': {
      const { waitlistId, now } = command.data;
      const entry = state.waitlist.get(waitlistId);
      if (!entry) throw new NotFoundError('Waitlist entry', waitlistId);
      if (entry.status !== 'waiting') return [];
      return [{ type: 'WaitlistLeft', data: { showId: state.show!.showId, waitlistId, customerId: entry.customerId, leftAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

function update(state: ShowState, reservationId: string, change: Partial<ReservationState>): ShowState {
  const reservation = state.reservations.get(reservationId);
  return reservation ? { ...state, reservations: state.reservations.set(reservationId, { ...reservation, ...change }) } : state;
}

function updateEntry(state: ShowState, waitlistId: string | null, change: Partial<WaitlistEntryState>): ShowState {
  const entry = waitlistId === null ? undefined : state.waitlist.get(waitlistId);
  return entry ? { ...state, waitlist: state.waitlist.set(entry.waitlistId, { ...entry, ...change }) } : state;
}

function freeSeats(state: ShowState, seats: readonly string[]): ShowState {
  return { ...state, sections: assignSeats(state.sections, seats, null), free: state.free + seats.length };
}

function evolve(state: ShowState, event: ShowEvent): ShowState {
  switch (event.type) {
    case 'ShowCreated': {
      const { sections, ...show } = event.data;
      const seats = emptySeats(sections);
      return { ...state, show, sections: seats, free: seats.reduce((sum, s) => sum + s.free, 0) };
    }
    case 'SeatsHeld': {
      const { reservationId, customerId, seats, totalCents, heldAt, expiresAt, waitlistId } = event.data;
      const reservation: ReservationState = {
        reservationId,
        customerId,
        seats,
        totalCents,
        status: 'held',
        heldAt,
        expiresAt,
        waitlistId,
        paymentKeys: [],
        refundedKeys: [],
        paymentId: null,
        paymentKey: null,
        tickets: [],
      };
      return { ...state, sections: assignSeats(state.sections, seats, reservationId), free: state.free - seats.length, reservations: state.reservations.set(reservationId, reservation) };
    }
    case 'ReservationPaymentStarted': {
      const reservation = state.reservations.get(event.data.reservationId);
      if (!reservation) return state;
      return update(state, event.data.reservationId, { paymentKeys: [...reservation.paymentKeys, { key: event.data.paymentKey, amountCents: event.data.amountCents }] });
    }
    case 'ReservationConfirmed':
      return update(state, event.data.reservationId, { status: 'confirmed', paymentId: event.data.paymentId, paymentKey: event.data.paymentKey, tickets: event.data.tickets });
    case 'ReservationPaymentRefunded': {
      const reservation = state.reservations.get(event.data.reservationId);
      if (!reservation) return state;
      return update(state, event.data.reservationId, { refundedKeys: [...reservation.refundedKeys, event.data.paymentKey] });
    }
    case 'ReservationExpired': {
      const next = update(freeSeats(state, event.data.seats), event.data.reservationId, { status: 'expired' });
      return updateEntry(next, event.data.waitlistId, { status: 'expired' });
    }
    case 'ReservationCancelled':
      return update(freeSeats(state, event.data.seats), event.data.reservationId, { status: event.data.refundedPaymentId ? 'refunded' : 'cancelled' });
    case 'WaitlistJoined': {
      const { waitlistId, customerId, quantity, place } = event.data;
      return {
        ...state,
        waitlist: state.waitlist.set(waitlistId, { waitlistId, customerId, quantity, place, status: 'waiting', reservationId: null }),
        waiting: [...state.waiting, waitlistId],
        joined: Math.max(state.joined, place),
      };
    }
    case 'WaitlistLeft':
      return { ...updateEntry(state, event.data.waitlistId, { status: 'left' }), waiting: state.waiting.filter((id) => id !== event.data.waitlistId) };
    case 'WaitlistOffered':
      return {
        ...updateEntry(state, event.data.waitlistId, { status: 'offered', reservationId: event.data.reservationId }),
        waiting: state.waiting.filter((id) => id !== event.data.waitlistId),
      };
    default:
      return assertNever(event);
  }
}

/**
 * One show: its seat map, every reservation on it and its waitlist, in one stream. Every hold,
 * expiry, cancel and offer of the show is decided on the whole show, so no seat is ever held
 * twice; the handlers run its commands grouped (`CommandRunner.runGrouped`), so a hot show takes
 * many commands per append.
 */
export const showDecider: Decider<ShowCommand, ShowEvent, ShowState> = { decide, evolve, initialState };

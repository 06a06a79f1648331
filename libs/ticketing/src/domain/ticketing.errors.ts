import { defineError } from '@app/core/domain';

export class SeatsUnavailable extends defineError({
  code: 'TICKETING_SEATS_UNAVAILABLE',
  status: 409,
  meaning: 'Seats asked for are held or sold already (details.seats names them), or the section has fewer free seats than asked',
}) {
  override readonly name = 'SeatsUnavailable';

  constructor(seats: readonly string[], extra: { section?: string; available?: number } = {}) {
    super(seats.length > 0 ? `Seats ${seats.join(', ')} are held or sold` : `Section ${extra.section} has only ${extra.available} free seats`, { seats, ...extra });
  }
}

export class UnknownSeat extends defineError({ code: 'TICKETING_UNKNOWN_SEAT', status: 422, meaning: 'A seat (or section) asked for is not on the show’s seat map; details.seats names them' }) {
  override readonly name = 'UnknownSeat';

  constructor(seats: readonly string[], section?: string) {
    super(section !== undefined ? `The show has no section ${section}` : `The show has no seats ${seats.join(', ')}`, { seats, ...(section !== undefined ? { section } : {}) });
  }
}

export class TooManySeats extends defineError({ code: 'TICKETING_TOO_MANY_SEATS', status: 422, meaning: 'One reservation holds at most 10 seats' }) {
  override readonly name = 'TooManySeats';

  constructor(asked: number) {
    super(`One reservation holds at most 10 seats, not ${asked}`, { asked, max: 10 });
  }
}

export class ShowStarted extends defineError({ code: 'TICKETING_SHOW_STARTED', status: 422, meaning: 'The show has started: its seats are no longer reserved' }) {
  override readonly name = 'ShowStarted';

  constructor(startsAt: string) {
    super(`The show started at ${startsAt}`, { startsAt });
  }
}

export class ReservationExpiredError extends defineError({
  code: 'TICKETING_RESERVATION_EXPIRED',
  status: 409,
  meaning: 'The reservation’s hold ran out (its expiresAt passed) before it was confirmed; a payment that raced it was refunded',
}) {
  override readonly name = 'ReservationExpiredError';

  constructor(reservationId: string, expiresAt: string) {
    super(`Reservation ${reservationId} expired at ${expiresAt}`, { reservationId, expiresAt });
  }
}

export class ReservationCancelledError extends defineError({ code: 'TICKETING_RESERVATION_CANCELLED', status: 409, meaning: 'The reservation was cancelled' }) {
  override readonly name = 'ReservationCancelledError';

  constructor(reservationId: string) {
    super(`Reservation ${reservationId} was cancelled`, { reservationId });
  }
}

export class PaymentDeclined extends defineError({ code: 'TICKETING_PAYMENT_DECLINED', status: 402, meaning: 'The payment provider declined the payment; the hold stays until it expires' }) {
  override readonly name = 'PaymentDeclined';

  constructor(reason: string) {
    super(`The payment was declined: ${reason}`, { reason });
  }
}

export class PaymentUnavailable extends defineError({
  code: 'TICKETING_PAYMENT_UNAVAILABLE',
  status: 502,
  meaning: 'The payment provider failed or could not be reached; nothing was charged or kept, retry with the same Idempotency-Key',
}) {
  override readonly name = 'PaymentUnavailable';

  constructor(reason: string) {
    super(`The payment provider is unavailable: ${reason}`, { reason });
  }
}

export class SeatsAvailable extends defineError({ code: 'TICKETING_SEATS_AVAILABLE', status: 409, meaning: 'Enough seats are free to reserve directly; the waitlist is for a sold-out show' }) {
  override readonly name = 'SeatsAvailable';

  constructor(quantity: number, available: number) {
    super(`${available} seats are free, enough for ${quantity}: reserve them directly`, { quantity, available });
  }
}

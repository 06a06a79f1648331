import type { DomainEvent } from '@app/core/domain';

/** A section of a show's seat map: its price in cents, and its rows in order (the first is the best). */
export interface SeatMapSection {
  name: string;
  priceCents: number;
  rows: readonly { name: string; seats: number }[];
}

/** A show, with its seat map. Seat ids are `<section>-<row>-<number>`, numbered from 1 in each row. */
export type ShowCreated = DomainEvent<
  'ShowCreated',
  { showId: string; title: string; venue: string; startsAt: string; holdSeconds: number; sections: SeatMapSection[]; createdBy: string; createdAt: string }
>;

/**
 * Seats held for a reservation until `expiresAt`; `waitlistId` when the hold is an offer to a
 * waitlist entry (seats that came back to a sold-out show).
 */
export type SeatsHeld = DomainEvent<
  'SeatsHeld',
  {
    showId: string;
    reservationId: string;
    customerId: string;
    seats: string[];
    totalCents: number;
    heldAt: string;
    expiresAt: string;
    waitlistId: string | null;
  }
>;

/** The customer started paying for a held reservation: the provider is charged under `paymentKey` (so a retry never charges twice). */
export type ReservationPaymentStarted = DomainEvent<
  'ReservationPaymentStarted',
  { showId: string; reservationId: string; paymentKey: string; amountCents: number; startedAt: string }
>;

/** Paid and sold: the seats are the customer's, one ticket each. */
export type ReservationConfirmed = DomainEvent<
  'ReservationConfirmed',
  { showId: string; reservationId: string; customerId: string; paymentId: string; paymentKey: string; tickets: { ticketId: string; seatId: string }[]; totalCents: number; confirmedAt: string }
>;

/** The hold ran out unconfirmed: its seats are free again. */
export type ReservationExpired = DomainEvent<
  'ReservationExpired',
  { showId: string; reservationId: string; customerId: string; seats: string[]; waitlistId: string | null; expiredAt: string }
>;

/** Cancelled by its customer or an admin; a confirmed one was refunded first (`refundedPaymentId`, status `refunded`). Its seats are free again. */
export type ReservationCancelled = DomainEvent<
  'ReservationCancelled',
  { showId: string; reservationId: string; customerId: string; seats: string[]; refundedPaymentId: string | null; cancelledAt: string }
>;

/**
 * A payment for seats that were not sold was given back: it went through while its hold expired
 * (or was cancelled), so the confirmation was refused.
 */
export type ReservationPaymentRefunded = DomainEvent<
  'ReservationPaymentRefunded',
  { showId: string; reservationId: string; paymentKey: string; paymentId: string; amountCents: number; refundedAt: string }
>;

/** In line for a sold-out show: `place` counts from 1 in the order of joining. */
export type WaitlistJoined = DomainEvent<'WaitlistJoined', { showId: string; waitlistId: string; customerId: string; quantity: number; place: number; joinedAt: string }>;

export type WaitlistLeft = DomainEvent<'WaitlistLeft', { showId: string; waitlistId: string; customerId: string; leftAt: string }>;

/** Seats that came back were held for this entry (the SeatsHeld of `reservationId`, just before). */
export type WaitlistOffered = DomainEvent<'WaitlistOffered', { showId: string; waitlistId: string; customerId: string; reservationId: string; offeredAt: string }>;

export type ShowEvent =
  | ShowCreated
  | SeatsHeld
  | ReservationPaymentStarted
  | ReservationConfirmed
  | ReservationExpired
  | ReservationCancelled
  | ReservationPaymentRefunded
  | WaitlistJoined
  | WaitlistLeft
  | WaitlistOffered;

/**
 * A customer's personal data for tickets, encrypted (AES-256-GCM) with their own data key
 * (`keyId`); the clear text is in no event. Each part is base64.
 */
export type CustomerPersonalDataSet = DomainEvent<
  'CustomerPersonalDataSet',
  { userId: string; keyId: string; iv: string; ciphertext: string; tag: string; setAt: string }
>;

/** The customer's data key was destroyed: every CustomerPersonalDataSet before this can no longer be read. */
export type CustomerForgotten = DomainEvent<'CustomerForgotten', { userId: string; keyId: string | null; forgottenAt: string }>;

export type CustomerEvent = CustomerPersonalDataSet | CustomerForgotten;

export type TicketingEvent = ShowEvent | CustomerEvent;

/**
 * A waitlist offer's email, stored in the outbox (the email's own stream): to the customer's
 * account email, saying which seats are held for them and until when. No personal data for
 * tickets is in it (that stays encrypted).
 */
export type WaitlistOfferEmailed = DomainEvent<
  'WaitlistOfferEmailed',
  { emailId: string; showId: string; waitlistId: string; reservationId: string; userId: string; to: string; subject: string; text: string; storedAt: string }
>;

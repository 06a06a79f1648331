import type { Position } from '@app/eventstore';
import type { ReservationState, ReservationStatus } from '../domain/show.decider';
import { formatCents } from '../domain/money';
import type { CustomerOnTicket } from './customers/personal-data';

/** A reservation as the API answers it (`Reservation` of the contract). */
export interface ReservationView {
  reservationId: string;
  showId: string;
  seats: string[];
  total: string;
  status: ReservationStatus;
  expiresAt: string;
  tickets: { ticketId: string; seatId: string }[];
  paymentId: string | null;
  customer: CustomerOnTicket | null;
  createdAt: string;
  waitlistId: string | null;
}

export type ReservationAnswer = ReservationView & { position: Position };

export function reservationView(showId: string, reservation: ReservationState, customer: CustomerOnTicket | null): ReservationView {
  return {
    reservationId: reservation.reservationId,
    showId,
    seats: [...reservation.seats],
    total: formatCents(reservation.totalCents),
    status: reservation.status,
    expiresAt: reservation.expiresAt,
    tickets: reservation.status === 'confirmed' ? [...reservation.tickets] : [],
    paymentId: reservation.status === 'confirmed' || reservation.status === 'refunded' ? reservation.paymentId : null,
    customer,
    createdAt: reservation.heldAt,
    waitlistId: reservation.waitlistId,
  };
}

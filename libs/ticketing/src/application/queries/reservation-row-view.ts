import type { ReservationRow } from '@app/projections/ticketing/reservations/reservations.queries';
import { formatCents } from '../../domain/money';
import type { CustomerOnTicket } from '../customers/personal-data';
import type { ReservationView } from '../reservation-view';

/** A reservation of the read model as the API answers it: the same shape, and the same rules, as the commands' answers (`reservationView`). */
export function reservationRowView(row: ReservationRow, customer: CustomerOnTicket | null): ReservationView {
  return {
    reservationId: row.reservation_id,
    showId: row.show_id,
    seats: [...row.seats],
    total: formatCents(BigInt(row.total_cents)),
    status: row.status,
    expiresAt: row.expires_at.toISOString(),
    tickets: row.status === 'confirmed' ? row.seats.map((seatId, i) => ({ ticketId: row.ticket_ids[i], seatId })) : [],
    paymentId: row.status === 'confirmed' || row.status === 'refunded' ? row.payment_id : null,
    customer,
    createdAt: row.created_at.toISOString(),
    waitlistId: row.waitlist_id,
  };
}

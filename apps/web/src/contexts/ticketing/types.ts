/** TicketSafe's answers, as /work/shared/API.md "Ticketing (TicketSafe)" writes them. Prices and totals are decimal strings. */

export type SeatStatus = 'available' | 'held' | 'sold';

export interface ShowListItem {
  showId: string;
  title: string;
  venue: string;
  startsAt: string;
  available: number;
  held: number;
  sold: number;
}

export interface Seat {
  seatId: string;
  status: SeatStatus;
}

export interface ShowSection {
  name: string;
  price: string;
  rows: { name: string; seats: Seat[] }[];
}

export interface Show extends ShowListItem {
  holdSeconds: number;
  sections: ShowSection[];
}

export type ReservationStatus = 'held' | 'confirmed' | 'expired' | 'cancelled' | 'refunded';

export interface Reservation {
  reservationId: string;
  showId: string;
  seats: string[];
  total: string;
  status: ReservationStatus;
  expiresAt: string;
  tickets: { ticketId: string; seatId: string }[];
  paymentId: string | null;
  customer: { fullName: string; email: string } | null;
  createdAt: string;
  position?: string;
}

export interface WaitlistEntry {
  waitlistId: string;
  showId: string;
  quantity: number;
  place: number;
  status: 'waiting' | 'offered' | 'expired' | 'left';
  reservationId: string | null;
}

export interface Sales {
  showId: string;
  sold: number;
  held: number;
  available: number;
  revenue: string;
  reservations: { held: number; confirmed: number; expired: number; cancelled: number; refunded: number };
}

/** One reservation holds at most this many seats. */
export const MAX_SEATS = 10;

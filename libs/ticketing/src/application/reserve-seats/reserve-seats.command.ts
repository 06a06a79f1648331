import { Command } from '@nestjs/cqrs';
import type { ReservationAnswer } from '../reservation-view';

/** Specific seats, or the best `quantity` free seats of a section. */
export type SeatRequest = { seats: string[] } | { section: string; quantity: number };

export class ReserveSeatsCommand extends Command<ReservationAnswer> {
  constructor(
    readonly showId: string,
    readonly customerId: string,
    readonly request: SeatRequest,
  ) {
    super();
  }
}

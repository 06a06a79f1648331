import { Command } from '@nestjs/cqrs';
import type { ReservationAnswer } from '../reservation-view';
import type { Asker } from '../shows';

export class CancelReservationCommand extends Command<ReservationAnswer> {
  constructor(
    readonly reservationId: string,
    readonly asker: Asker,
  ) {
    super();
  }
}

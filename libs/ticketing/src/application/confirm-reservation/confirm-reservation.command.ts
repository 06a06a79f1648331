import { Command } from '@nestjs/cqrs';
import type { ReservationAnswer } from '../reservation-view';

export class ConfirmReservationCommand extends Command<ReservationAnswer> {
  constructor(
    readonly reservationId: string,
    readonly customerId: string,
    readonly paymentToken: string,
    readonly idempotencyKey: string,
  ) {
    super();
  }
}

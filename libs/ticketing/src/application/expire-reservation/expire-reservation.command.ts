import { Command } from '@nestjs/cqrs';

/** The hold's expiresAt has come (its timer fired): expire it if it is still held, and offer its seats to the waitlist. */
export class ExpireReservationCommand extends Command<void> {
  constructor(
    readonly showId: string,
    readonly reservationId: string,
  ) {
    super();
  }
}

/** Give back every payment started on the reservation that did not pay for its seats. */
export class RefundUnsoldPaymentsCommand extends Command<void> {
  constructor(
    readonly showId: string,
    readonly reservationId: string,
  ) {
    super();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/core';
import { RefundPayments } from '../payments/refund-payments';
import { offerIds, Shows } from '../shows';
import { TICKETING_CONFIG, type TicketingConfig } from '../ticketing.config';
import { ExpireReservationCommand, RefundUnsoldPaymentsCommand } from './expire-reservation.command';

/** Expires a hold whose time has come; a hold confirmed, cancelled or expired already is left as it is (so a redelivery does nothing). */
@Injectable()
@CommandHandler(ExpireReservationCommand)
export class ExpireReservationHandler implements ICommandHandler<ExpireReservationCommand> {
  constructor(
    private readonly shows: Shows,
    @Inject(TICKETING_CONFIG) private readonly config: TicketingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ showId, reservationId }: ExpireReservationCommand): Promise<void> {
    await this.shows.run(showId, {
      type: 'ExpireReservation',
      data: { reservationId, offerIds: offerIds(reservationId, this.config.offersPerReturn), now: this.clock.now().toISOString() },
    });
  }
}

@Injectable()
@CommandHandler(RefundUnsoldPaymentsCommand)
export class RefundUnsoldPaymentsHandler implements ICommandHandler<RefundUnsoldPaymentsCommand> {
  constructor(private readonly refunds: RefundPayments) {}

  execute({ showId, reservationId }: RefundUnsoldPaymentsCommand): Promise<void> {
    return this.refunds.refundUnsold(showId, reservationId);
  }
}

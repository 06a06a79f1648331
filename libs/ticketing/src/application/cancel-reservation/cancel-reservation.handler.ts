import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/core';
import { PersonalData } from '../customers/personal-data';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payments/payment-provider';
import { ConfirmedMeanwhile } from '../../domain/show.decider';
import { PaymentUnavailable } from '../../domain/ticketing.errors';
import { type ReservationAnswer, reservationView } from '../reservation-view';
import { offerIds, Shows } from '../shows';
import { TICKETING_CONFIG, type TicketingConfig } from '../ticketing.config';
import { CancelReservationCommand } from './cancel-reservation.command';

/**
 * Cancels a reservation (its customer, or an admin): a held one is cancelled; a confirmed one is
 * refunded through the provider first, then cancelled as `refunded`. Its seats return, and are
 * offered to the show's waitlist in the same decision. Cancelling a cancelled one changes nothing.
 */
@Injectable()
@CommandHandler(CancelReservationCommand)
export class CancelReservationHandler implements ICommandHandler<CancelReservationCommand> {
  constructor(
    private readonly shows: Shows,
    private readonly personalData: PersonalData,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(TICKETING_CONFIG) private readonly config: TicketingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ reservationId, asker }: CancelReservationCommand): Promise<ReservationAnswer> {
    for (;;) {
      const { showId, reservation } = await this.shows.reservation(reservationId, asker, { admins: true });
      let refundedPaymentId: string | null = null;
      if (reservation.status === 'confirmed') {
        const refund = await this.provider.refund({ key: reservation.paymentKey! });
        if (!refund.refunded) throw new PaymentUnavailable(`the provider has no charge ${reservation.paymentId} to refund`);
        refundedPaymentId = reservation.paymentId;
      }
      try {
        const { state, position } = await this.shows.run(showId, {
          type: 'CancelReservation',
          data: { reservationId, refundedPaymentId, offerIds: offerIds(reservationId, this.config.offersPerReturn), now: this.clock.now().toISOString() },
        });
        const cancelled = state.reservations.get(reservationId)!;
        const customer = (await this.personalData.reveal([cancelled.customerId])).get(cancelled.customerId) ?? null;
        return { ...reservationView(showId, cancelled, customer), position: position! };
      } catch (error) {
        // Confirmed between the look and the cancel (its payment raced this): refund it, then cancel.
        if (error instanceof ConfirmedMeanwhile) continue;
        throw error;
      }
    }
  }
}

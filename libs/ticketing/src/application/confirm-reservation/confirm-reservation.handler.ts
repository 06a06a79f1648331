import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, deterministicId } from '@app/core';
import { ReservationCancelledError, ReservationExpiredError } from '../../domain/ticketing.errors';
import { PersonalData } from '../customers/personal-data';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payments/payment-provider';
import { RefundPayments } from '../payments/refund-payments';
import { type ReservationAnswer, reservationView } from '../reservation-view';
import { Shows } from '../shows';
import { ConfirmReservationCommand } from './confirm-reservation.command';

/**
 * Pays for a held reservation and sells its seats, in three steps on the show's stream:
 * 1. the payment's start is recorded (refused for an expired or cancelled hold: nothing charged),
 *    under a payment key derived from the reservation and the Idempotency-Key, so a retry, even one
 *    racing the first, charges the same charge;
 * 2. the provider is charged under that key;
 * 3. the confirmation is decided at the time it is recorded: a hold that expired meanwhile (its
 *    expiresAt passed, or the worker expired it) refuses it, and the charge is refunded at once
 *    before the 409 answers. Should this process die between 2 and 3, the hold expires and the
 *    worker refunds every payment started on it (HoldsWorkflow): money is never kept for seats
 *    that were not sold. A second payment that lost a race to another is refunded the same way.
 */
@Injectable()
@CommandHandler(ConfirmReservationCommand)
export class ConfirmReservationHandler implements ICommandHandler<ConfirmReservationCommand> {
  constructor(
    private readonly shows: Shows,
    private readonly refunds: RefundPayments,
    private readonly personalData: PersonalData,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ reservationId, customerId, paymentToken, idempotencyKey }: ConfirmReservationCommand): Promise<ReservationAnswer> {
    const { showId, reservation, position: seen } = await this.shows.reservation(reservationId, { userId: customerId, role: 'customer' }, { admins: false });
    const paymentKey = deterministicId(reservationId, 'payment', idempotencyKey);
    // Confirmed already (an earlier payment, under another key): nothing is charged again.
    if (reservation.status === 'confirmed') return this.answer(showId, reservation, seen);
    await this.shows.run(showId, { type: 'StartPayment', data: { reservationId, paymentKey, now: this.now() } });
    const { paymentId } = await this.provider.charge({ key: paymentKey, amountCents: reservation.totalCents, token: paymentToken });
    try {
      const tickets = reservation.seats.map((seatId) => ({ ticketId: deterministicId(reservationId, 'ticket', seatId), seatId }));
      const { state, position } = await this.shows.run(showId, { type: 'ConfirmReservation', data: { reservationId, paymentKey, paymentId, tickets, now: this.now() } });
      const confirmed = state.reservations.get(reservationId)!;
      // Another payment of this reservation won a race: this one is given back.
      if (confirmed.paymentKey !== paymentKey) await this.refunds.refund(showId, reservationId, paymentKey);
      return this.answer(showId, confirmed, position!);
    } catch (error) {
      if (error instanceof ReservationExpiredError || error instanceof ReservationCancelledError) await this.refunds.refund(showId, reservationId, paymentKey);
      throw error;
    }
  }

  private async answer(showId: string, reservation: Parameters<typeof reservationView>[1], position: string): Promise<ReservationAnswer> {
    const customer = (await this.personalData.reveal([reservation.customerId])).get(reservation.customerId) ?? null;
    return { ...reservationView(showId, reservation, customer), position };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

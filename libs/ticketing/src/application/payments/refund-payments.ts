import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/core';
import { Shows } from '../shows';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider';

/** Gives back payments for seats that were not sold, through the provider, and records each refund on the show. */
@Injectable()
export class RefundPayments {
  constructor(
    private readonly shows: Shows,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Refunds the charge made under `paymentKey` (none made: the key is void) and records it once. */
  async refund(showId: string, reservationId: string, paymentKey: string): Promise<void> {
    const { refunded, paymentId } = await this.provider.refund({ key: paymentKey });
    if (!refunded || paymentId === null) return;
    await this.shows.run(showId, { type: 'RecordPaymentRefunded', data: { reservationId, paymentKey, paymentId, now: this.clock.now().toISOString() } });
  }

  /** Every payment started on the reservation that did not pay for its seats (all of them, unless it is confirmed: all but the one that did), refunded. */
  async refundUnsold(showId: string, reservationId: string): Promise<void> {
    const reservation = (await this.shows.load(showId)).state.reservations.get(reservationId);
    if (!reservation) return;
    const sold = reservation.status === 'confirmed' || reservation.status === 'refunded' ? reservation.paymentKey : null;
    for (const { key } of reservation.paymentKeys) {
      if (key !== sold && !reservation.refundedKeys.includes(key)) await this.refund(showId, reservationId, key);
    }
  }
}

import { Module } from '@nestjs/common';
import { CancelReservationHandler } from './application/cancel-reservation/cancel-reservation.handler';
import { ConfirmReservationHandler } from './application/confirm-reservation/confirm-reservation.handler';
import { CreateShowHandler } from './application/create-show/create-show.handler';
import { CustomersModule } from './application/customers/customers.module';
import { ExpireReservationHandler, RefundUnsoldPaymentsHandler } from './application/expire-reservation/expire-reservation.handler';
import { PAYMENT_PROVIDER } from './application/payments/payment-provider';
import { RefundPayments } from './application/payments/refund-payments';
import { SimulatedPaymentProvider } from './application/payments/simulated-payment-provider';
import { TicketingQueriesModule } from './application/queries/queries.module';
import { ShowLocator } from './application/reservation-locator';
import { ReserveSeatsHandler } from './application/reserve-seats/reserve-seats.handler';
import { Shows } from './application/shows';
import { JoinWaitlistHandler, LeaveWaitlistHandler } from './application/waitlist/waitlist.handlers';

/** TicketSafe's handlers and what they share: the shows' streams, the payment provider, customers' personal data. */
@Module({
  imports: [CustomersModule, TicketingQueriesModule],
  providers: [
    Shows,
    ShowLocator,
    RefundPayments,
    { provide: PAYMENT_PROVIDER, useClass: SimulatedPaymentProvider },
    CreateShowHandler,
    ReserveSeatsHandler,
    ConfirmReservationHandler,
    CancelReservationHandler,
    ExpireReservationHandler,
    RefundUnsoldPaymentsHandler,
    JoinWaitlistHandler,
    LeaveWaitlistHandler,
  ],
  exports: [CustomersModule, Shows, ShowLocator, PAYMENT_PROVIDER],
})
export class TicketingModule {}

import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { GetReservationHandler } from './get-reservation/get-reservation.handler';
import { GetSalesHandler } from './get-sales/get-sales.handler';
import { GetShowHandler } from './get-show/get-show.handler';
import { ListMyReservationsHandler } from './list-my-reservations/list-my-reservations.handler';
import { ListMyWaitlistHandler } from './list-my-waitlist/list-my-waitlist.handler';
import { ListShowsHandler } from './list-shows/list-shows.handler';

/** TicketSafe's query handlers (shows, reservations, waitlists, sales), reading its read models. */
@Module({
  imports: [CustomersModule],
  providers: [ListShowsHandler, GetShowHandler, GetSalesHandler, ListMyReservationsHandler, GetReservationHandler, ListMyWaitlistHandler],
})
export class TicketingQueriesModule {}

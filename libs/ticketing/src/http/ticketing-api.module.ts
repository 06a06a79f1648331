import { Module } from '@nestjs/common';
import { TicketingModule } from '../ticketing.module';
import { CustomersApiModule } from './customers-api.module';
import { TicketingQueriesApiModule } from './ticketing-queries-api.module';
import { ShowsController } from './shows.controller';

/** TicketSafe as the HTTP app serves it. */
@Module({ imports: [TicketingModule, TicketingQueriesApiModule, CustomersApiModule], controllers: [ShowsController] })
export class TicketingApiModule {}

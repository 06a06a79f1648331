import { Module } from '@nestjs/common';
import { TicketingQueriesController } from './ticketing-queries.controller';

/** TicketSafe's query endpoints (shows, reservations, waitlists, sales). */
@Module({ controllers: [TicketingQueriesController] })
export class TicketingQueriesApiModule {}

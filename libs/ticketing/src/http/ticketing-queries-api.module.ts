import { Module } from '@nestjs/common';

/** TicketSafe's query endpoints (shows, reservations, waitlists, sales). */
@Module({ controllers: [] })
export class TicketingQueriesApiModule {}

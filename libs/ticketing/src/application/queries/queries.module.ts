import { Module } from '@nestjs/common';

/** TicketSafe's query handlers (shows, reservations, waitlists, sales), reading its read models. */
@Module({ providers: [] })
export class TicketingQueriesModule {}

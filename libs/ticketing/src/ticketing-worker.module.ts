import { Module } from '@nestjs/common';
import { HoldsWorkflow } from './application/expire-reservation/holds.workflow';
import { TicketingModule } from './ticketing.module';

/** TicketSafe as the worker runs it: the holds' expiry (and the waitlist offers it makes) and the refunds of unsold payments. */
@Module({ imports: [TicketingModule], providers: [HoldsWorkflow], exports: [HoldsWorkflow] })
export class TicketingWorkerModule {}

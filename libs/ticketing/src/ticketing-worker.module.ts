import { Module } from '@nestjs/common';
import { HoldsWorkflow } from './application/expire-reservation/holds.workflow';
import { OfferEmailsProcessManager, SendOfferEmailHandler } from './application/waitlist/offer-emails';
import { TicketingModule } from './ticketing.module';

/** TicketSafe as the worker runs it: the holds' expiry (and the waitlist offers it makes) and the refunds of unsold payments, the offers' emails. */
@Module({ imports: [TicketingModule], providers: [HoldsWorkflow, OfferEmailsProcessManager, SendOfferEmailHandler], exports: [HoldsWorkflow, OfferEmailsProcessManager] })
export class TicketingWorkerModule {}

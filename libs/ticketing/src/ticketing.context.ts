import { defineContext } from '@app/core';
import { TICKETING_CONFIG, loadTicketingConfig } from './application/ticketing.config';
import * as ticketingErrors from './domain/ticketing.errors';
import { TicketingApiModule } from './http/ticketing-api.module';
import { TicketingWorkerModule } from './ticketing-worker.module';
import { TICKETING_PROJECTIONS } from './ticketing.projections';
import { HoldsWorkflow } from './application/expire-reservation/holds.workflow';
import { OfferEmailsProcessManager } from './application/waitlist/offer-emails';

/**
 * TicketSafe: shows with seat maps, holds that expire, a waitlist offered the seats that come
 * back, payment through a provider port, and customers' personal data encrypted under keys that
 * forgetting destroys.
 */
export const ticketingContext = defineContext({
  name: 'ticketing',
  apiTags: { ticketing: 'TicketSafe: shows, seat holds, payment, waitlists and customers’ personal data' },
  apiModule: TicketingApiModule,
  workerModule: TicketingWorkerModule,
  projections: TICKETING_PROJECTIONS,
  processManagers: [OfferEmailsProcessManager],
  workflows: [HoldsWorkflow],
  cliCommands: [],
  errors: Object.values(ticketingErrors),
  config: { token: TICKETING_CONFIG, load: (env, platform) => loadTicketingConfig(env, platform.dataDir) },
});

import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { ProviderStatus, UpdateSource } from '../../contract/orders.events';

export interface ProviderUpdate {
  subOrderId: string;
  orderId: string;
  providerId: string;
  /** The provider's id of this update: the same update again is recorded once. */
  eventId: string;
  status: ProviderStatus;
  /** When the provider says it happened. */
  at: string;
  source: UpdateSource;
}

/** RecordProviderUpdate: a status a provider reported (by callback, by a poll, or the simulated provider). */
export class ReportProviderStatusCommand extends Command<{ position: Position | null; recorded: boolean }> {
  constructor(readonly update: ProviderUpdate) {
    super();
  }
}

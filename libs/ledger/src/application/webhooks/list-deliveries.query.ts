import { Query } from '@nestjs/cqrs';
import type { DeliveryStatus } from '@app/projections/ledger/webhooks/webhooks.queries';

export interface DeliveryView {
  deliveryId: string;
  traceKey: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: string | null;
}

/** A webhook's deliveries in the order their postings were applied, of one status or all. */
export class ListDeliveriesQuery extends Query<DeliveryView[]> {
  constructor(
    readonly webhookId: string,
    readonly status: DeliveryStatus | undefined,
    readonly limit: number,
  ) {
    super();
  }
}

import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, ReadModels } from '@app/core';
import { webhooksQueries } from '@app/projections/ledger/webhooks/webhooks.queries';
import { type DeliveryView, ListDeliveriesQuery } from './list-deliveries.query';

@Injectable()
@QueryHandler(ListDeliveriesQuery)
export class ListDeliveriesHandler implements IQueryHandler<ListDeliveriesQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ webhookId, status, limit }: ListDeliveriesQuery): Promise<DeliveryView[]> {
    const webhooks = this.readModels.use(webhooksQueries);
    if (!(await webhooks.byId(webhookId))) throw new NotFoundError('Webhook', webhookId);
    const rows = await webhooks.deliveries(webhookId, { status, limit });
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      traceKey: row.trace_key,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
      nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    }));
  }
}

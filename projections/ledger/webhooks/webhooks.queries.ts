import { defineQueries } from '@app/core';
import { type DeliveryRow, type DeliveryStatus, type WebhookRow, webhooksProjection } from './webhooks.projection';

export type { DeliveryRow, DeliveryStatus, WebhookRow } from './webhooks.projection';

/** The registered webhooks and their deliveries. */
export const webhooksQueries = defineQueries(webhooksProjection, ({ table }) => ({
  /** Every webhook, oldest first. */
  all: (): Promise<WebhookRow[]> => table<WebhookRow>('ledger_webhooks').orderBy('position'),

  byId: (webhookId: string): Promise<WebhookRow | undefined> => table<WebhookRow>('ledger_webhooks').where({ webhook_id: webhookId }).first(),

  /** A webhook's deliveries in the order their postings were applied, of one status or all; at most `limit`. */
  deliveries: (webhookId: string, { status, limit }: { status?: DeliveryStatus; limit: number }): Promise<DeliveryRow[]> => {
    const query = table<DeliveryRow>('ledger_webhook_deliveries').where({ webhook_id: webhookId });
    if (status !== undefined) query.where({ status });
    return query.orderBy('position').limit(limit);
  },

  delivery: (webhookId: string, deliveryId: string): Promise<DeliveryRow | undefined> =>
    table<DeliveryRow>('ledger_webhook_deliveries').where({ webhook_id: webhookId, delivery_id: deliveryId }).first(),

  /** A webhook's pending deliveries due at `now`, the longest due first; at most `limit`. */
  due: (webhookId: string, now: Date, limit: number): Promise<DeliveryRow[]> =>
    table<DeliveryRow>('ledger_webhook_deliveries')
      .where({ webhook_id: webhookId, status: 'pending' })
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit),
}));

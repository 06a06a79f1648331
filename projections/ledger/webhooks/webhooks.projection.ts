import { defineProjection, deterministicId, type ProjectionContext, type Recorded } from '@app/core';
import type { LedgerPostingApplied, LedgerWebhookDeliveryEvent, LedgerWebhookRegistered } from '@app/ledger/contract';

type WebhooksTable = 'ledger_webhooks' | 'ledger_webhook_deliveries';

type WebhooksEvent = LedgerWebhookRegistered | LedgerPostingApplied | LedgerWebhookDeliveryEvent;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A row of `ledger_webhooks`: a registered webhook, without its secret (which only the log holds). */
export interface WebhookRow {
  webhook_id: string;
  url: string;
  registered_at: Date;
  position: string;
}

/** A row of `ledger_webhook_deliveries`: one applied posting for one webhook. */
export interface DeliveryRow {
  delivery_id: string;
  webhook_id: string;
  posting_id: string;
  trace_key: string;
  applied_at: Date;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  last_attempt_at: Date | null;
  /** When the next attempt is due: the posting's application at first, then each failure's `retryAt`; null once delivered or failed. */
  next_attempt_at: Date | null;
  /** The revision of the last event of the delivery's stream this row includes; -1 before its first. */
  version: number;
  /** The log position of the posting's LedgerPostingApplied: deliveries list in that order. */
  position: string;
}

/** The delivery of the posting applied in `postingId` to `webhookId`: the same id in every process and every rebuild. */
export function deliveryIdOf(webhookId: string, postingId: string): string {
  return deterministicId(webhookId, postingId, 'ledger-webhook-delivery');
}

/**
 * The webhooks and their deliveries, from the log alone: a delivery is pending from the moment a
 * posting is applied after its webhook was registered (in log order, so a webhook gets every
 * posting applied after it and none before), then follows its stream's events (attempts, manual
 * retries). It is the queue the worker's webhook dispatcher reads its due deliveries from, and
 * GET .../deliveries' answer; a rebuild gives the same rows, since every time in them is an event's.
 */
export const webhooksProjection = defineProjection<WebhooksEvent, WebhooksTable>({
  name: 'ledger_webhooks',
  version: 1,
  tables: {
    ledger_webhooks: (t) => {
      t.uuid('webhook_id').primary();
      t.text('url').notNullable();
      t.timestamp('registered_at', { useTz: true }).notNullable();
      t.text('position').notNullable();
    },
    ledger_webhook_deliveries: (t) => {
      t.uuid('delivery_id').primary();
      t.uuid('webhook_id').notNullable();
      t.uuid('posting_id').notNullable();
      t.uuid('trace_key').notNullable();
      t.timestamp('applied_at', { useTz: true }).notNullable();
      t.text('status').notNullable();
      t.integer('attempts').notNullable();
      t.text('last_error');
      t.timestamp('last_attempt_at', { useTz: true });
      t.timestamp('next_attempt_at', { useTz: true });
      t.integer('version').notNullable();
      t.text('position').notNullable();
      t.index(['webhook_id', 'status', 'position']);
      t.index(['webhook_id', 'status', 'next_attempt_at']);
    },
  },
  eventTypes: [
    'LedgerWebhookRegistered',
    'LedgerPostingApplied',
    'LedgerWebhookDelivered',
    'LedgerWebhookAttemptFailed',
    'LedgerWebhookRetryRequested',
  ] satisfies WebhooksEvent['type'][],
  apply: applyBatch,
});

/** Rows per insert: PostgreSQL takes at most 65,535 parameters in one statement. */
const ROWS_PER_INSERT = 5000;

/** What a delivery's events in one batch change, folded in log order. */
interface DeliveryChange {
  delivery_id: string;
  status: DeliveryStatus;
  next_attempt_at: string | null;
  /** Set by an attempt; a manual retry keeps the last attempt's. */
  attempt: { attempts: number; last_error: string | null; last_attempt_at: string } | null;
  version: number;
}

/**
 * A batch in a fixed number of statements, however many postings and webhooks: the webhooks known
 * before it in one read, the new webhooks and the new deliveries in multi-row inserts, and every
 * delivery's outcome in one update.
 */
async function applyBatch(events: readonly Recorded<WebhooksEvent>[], { trx, table, tableName }: ProjectionContext<WebhooksTable>): Promise<void> {
  const known: Pick<WebhookRow, 'webhook_id'>[] = await table('ledger_webhooks').select('webhook_id').orderBy('position');
  const webhooks = known.map((row) => row.webhook_id);
  const newWebhooks: Record<string, unknown>[] = [];
  const deliveries: Record<string, unknown>[] = [];
  const changes = new Map<string, DeliveryChange>();
  for (const event of events) {
    switch (event.type) {
      case 'LedgerWebhookRegistered': {
        const { webhookId, url, registeredAt } = event.data;
        webhooks.push(webhookId);
        newWebhooks.push({ webhook_id: webhookId, url, registered_at: registeredAt, position: event.position });
        break;
      }
      case 'LedgerPostingApplied':
        for (const webhookId of webhooks) {
          const { postingId, traceKey, appliedAt } = event.data;
          deliveries.push({
            delivery_id: deliveryIdOf(webhookId, postingId),
            webhook_id: webhookId,
            posting_id: postingId,
            trace_key: traceKey,
            applied_at: appliedAt,
            status: 'pending',
            attempts: 0,
            next_attempt_at: appliedAt,
            version: -1,
            position: event.position,
          });
        }
        break;
      case 'LedgerWebhookDelivered':
      case 'LedgerWebhookAttemptFailed':
      case 'LedgerWebhookRetryRequested':
        changes.set(event.data.deliveryId, changed(changes.get(event.data.deliveryId), event));
        break;
    }
  }
  if (newWebhooks.length > 0) await table('ledger_webhooks').insert(newWebhooks).onConflict('webhook_id').ignore();
  for (let from = 0; from < deliveries.length; from += ROWS_PER_INSERT) {
    // A posting applied twice (a redelivered reaction) is one delivery.
    await table('ledger_webhook_deliveries')
      .insert(deliveries.slice(from, from + ROWS_PER_INSERT))
      .onConflict('delivery_id')
      .ignore();
  }
  if (changes.size > 0) await applyChanges(trx, tableName('ledger_webhook_deliveries'), [...changes.values()]);
}

function changed(before: DeliveryChange | undefined, event: Recorded<LedgerWebhookDeliveryEvent>): DeliveryChange {
  const version = Number(event.revision);
  const base = { delivery_id: event.data.deliveryId, version };
  switch (event.type) {
    case 'LedgerWebhookDelivered':
      return { ...base, status: 'delivered', next_attempt_at: null, attempt: { attempts: event.data.attempt, last_error: null, last_attempt_at: event.data.deliveredAt } };
    case 'LedgerWebhookAttemptFailed': {
      const { attempt, error, attemptedAt, retryAt } = event.data;
      return { ...base, status: retryAt === null ? 'failed' : 'pending', next_attempt_at: retryAt, attempt: { attempts: attempt, last_error: error, last_attempt_at: attemptedAt } };
    }
    case 'LedgerWebhookRetryRequested':
      return { ...base, status: 'pending', next_attempt_at: event.data.requestedAt, attempt: before?.attempt ?? null };
  }
}

/** Every changed delivery in one update; a retry alone keeps the attempt columns as they were. */
async function applyChanges(trx: ProjectionContext['trx'], table: string, changes: readonly DeliveryChange[]): Promise<void> {
  await trx.raw(
    `update ?? t
        set status = c.status,
            next_attempt_at = c.next_attempt_at,
            attempts = coalesce(c.attempts, t.attempts),
            last_error = case when c.attempts is null then t.last_error else c.last_error end,
            last_attempt_at = coalesce(c.last_attempt_at, t.last_attempt_at),
            version = c.version
       from unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::integer[], ?::text[], ?::timestamptz[], ?::integer[])
            as c(delivery_id, status, next_attempt_at, attempts, last_error, last_attempt_at, version)
      where t.delivery_id = c.delivery_id`,
    [
      table,
      changes.map((c) => c.delivery_id),
      changes.map((c) => c.status),
      withNulls(changes.map((c) => c.next_attempt_at)),
      withNulls(changes.map((c) => c.attempt?.attempts ?? null)),
      withNulls(changes.map((c) => c.attempt?.last_error ?? null)),
      withNulls(changes.map((c) => c.attempt?.last_attempt_at ?? null)),
      changes.map((c) => c.version),
    ],
  );
}

/** An array binding with null elements, which pg sends as NULL; knex's types know arrays of one type only. */
function withNulls<T>(values: readonly (T | null)[]): T[] {
  return values as T[];
}

import type { Knex } from 'knex';
import { decodePosition, type EventStore, type Position } from '@app/eventstore';

export interface PendingEvents {
  /** How many events of these types come after the position. */
  count: number;
  /** When the first of them was recorded; null when there are none. */
  oldestRecordedAt: Date | null;
}

/** Counts what a projection has yet to process. */
export type PendingEventCounter = (after: Position | null, eventTypes: readonly string[]) => Promise<PendingEvents>;

/** Any event store: reads the log after the position, up to `limit` events (the count stops there). */
export function readingCounter(store: EventStore, limit = 10_000): PendingEventCounter {
  return async (after, eventTypes) => {
    const events = await store.readAll({ fromPosition: after ?? 'start', maxCount: limit, filter: { eventTypes } });
    return { count: events.length, oldestRecordedAt: events[0]?.recordedAt ?? null };
  };
}

/** The PostgreSQL event store in the read-model database: an exact count on the log-order index. */
export function postgresCounter(knex: Knex): PendingEventCounter {
  return async (after, eventTypes) => {
    const { major, minor } = after ? decodePosition(after) : { major: 0n, minor: 0n };
    const bounds = [major.toString(), minor.toString(), [...eventTypes]];
    const where = `(transaction_id, global_position) > (?::text::xid8, ?::bigint) and type = any(?::text[])`;
    const result = await knex.raw<{ rows: Array<{ count: string; oldest: Date | null }> }>(
      `select (select count(*) from es_events where ${where}) as count,
              (select recorded_at from es_events where ${where} order by transaction_id, global_position limit 1) as oldest`,
      [...bounds, ...bounds],
    );
    const [row] = result.rows;
    return { count: Number(row.count), oldestRecordedAt: row.oldest };
  };
}

import type { Knex } from 'knex';

/**
 * The log by causation id: which events a process manager or workflow wrote in reaction to an
 * event (`readCausedBy`, shown by `GET /events/:eventId` as `causedEvents`), found in one index
 * lookup instead of a scan of the whole log. Only events that have a cause are indexed: those a
 * request wrote directly carry no causation id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index es_events_causation on es_events ((metadata->>'causationId')) where metadata->>'causationId' is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists es_events_causation');
}

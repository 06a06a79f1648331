import type { Knex } from 'knex';

/**
 * The log by event type, in log order: finds the last event of some types in one short index
 * scan per type (`headPosition({ eventTypes })`), which is how a command knows how far a read
 * model must be before it can trust it, without waiting for the whole log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index es_events_type_log_order on es_events (type, transaction_id, global_position)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists es_events_type_log_order');
}

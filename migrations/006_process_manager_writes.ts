import type { Knex } from 'knex';

/**
 * Read-your-writes through process managers: with its checkpoint, each process manager records the
 * highest position its reactions wrote, so a query waiting for position P knows how far the read
 * models it feeds must get once it has handled P.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table process_manager_checkpoints add column written_position text;');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table process_manager_checkpoints drop column if exists written_position;');
}

import type { Knex } from 'knex';

/**
 * Bookkeeping of the process-manager runtime: how far each process manager has handled the log,
 * and the error of the event it is retrying, if any. The checkpoint moves after an event is
 * handled (at-least-once), so a process manager's reactions must be idempotent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table process_manager_checkpoints (
      name text primary key,
      position text,
      attempts int not null default 0,
      last_error text,
      updated_at timestamptz not null default now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists process_manager_checkpoints;');
}

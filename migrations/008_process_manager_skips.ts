import type { Knex } from 'knex';

/**
 * Skipping an event a process manager can never handle, asked from another process than the one
 * running it: the runner records the event it is failing on in its checkpoint row, an operator
 * asks for that very event to be skipped (`POST /process-managers/:name/skip`), and the runner,
 * before its next retry, moves past it if the request names the event it is still failing on.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table process_manager_checkpoints
      add column failing_event_id text,
      add column failing_event_type text,
      add column failing_position text,
      add column skip_event_id text,
      add column skip_requested_by text,
      add column skip_requested_at timestamptz;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table process_manager_checkpoints
      drop column if exists failing_event_id,
      drop column if exists failing_event_type,
      drop column if exists failing_position,
      drop column if exists skip_event_id,
      drop column if exists skip_requested_by,
      drop column if exists skip_requested_at;
  `);
}

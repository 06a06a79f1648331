import type { Knex } from 'knex';

/**
 * Durable timers of the workflow runtime: a workflow's pending deadlines, kept in sync with its
 * stream by the runtime and fired by the worker's timer poller (which appends `WorkflowTimerFired`
 * to the workflow's stream, then marks the row). A timer that fired is deleted once the workflow
 * has handled it. No deadline lives only in a process's memory.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table workflow_timers (
      workflow text not null,
      instance_id text not null,
      timer_id text not null,
      generation int not null,
      stream_name text not null,
      due_at timestamptz not null,
      data jsonb,
      fired_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (workflow, instance_id, timer_id)
    );
    create index workflow_timers_due on workflow_timers (due_at) where fired_at is null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists workflow_timers;');
}

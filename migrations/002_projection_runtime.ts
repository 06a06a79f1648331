import type { Knex } from 'knex';

/**
 * Bookkeeping of the projection runtime. Read-model tables themselves are declared by each
 * projection and created by the runtime per generation (`<table>__g<n>`), behind a view named
 * `<table>` that queries read; a rebuild fills a fresh generation and swaps the views.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table projection_state (
      name text primary key,
      active_generation int not null,
      active_version int not null,
      building_generation int,
      building_version int,
      next_generation int not null,
      halted boolean not null default false,
      last_error text,
      halted_position text,
      halted_generation int,
      updated_at timestamptz not null default now()
    );

    create table projection_checkpoints (
      name text not null references projection_state (name) on delete cascade,
      generation int not null,
      position text,
      caught_up boolean not null default false,
      last_event_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (name, generation)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists projection_checkpoints; drop table if exists projection_state;');
}

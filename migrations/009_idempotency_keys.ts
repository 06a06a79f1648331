import type { Knex } from 'knex';

/**
 * The answers of requests sent with an `Idempotency-Key`, per caller and endpoint: a repeat with
 * the same key is answered from here (`done`), waits for the first while it runs (`running`, held
 * by its `owner` until `locked_until`, after which a retry may take it over: its process died).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table idempotency_keys (
      scope text not null,
      key text not null,
      fingerprint text not null,
      status text not null check (status in ('running', 'done')),
      owner text not null,
      locked_until timestamptz not null,
      response_status int,
      response_body jsonb,
      created_at timestamptz not null default now(),
      primary key (scope, key)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists idempotency_keys;');
}

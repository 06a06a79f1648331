import type { Knex } from 'knex';

/**
 * TicketSafe's two stores that are not read models:
 * - `ticketing_customer_keys`: each customer's data key, wrapped (AES-256-GCM) by the master key
 *   (TICKETING_MASTER_KEY). Forgetting a customer deletes the row: their encrypted personal data
 *   in the log can never be read again (crypto-shredding). Kept out of the log on purpose.
 * - `ticketing_simulated_payments`: the built-in simulated payment provider's own records, as an
 *   external provider keeps them: one charge per idempotency key, refunded at most once; a key
 *   refunded before any charge is void, so a charge arriving after its refund is refused.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table ticketing_customer_keys (
      key_id uuid primary key,
      user_id text not null,
      wrapped_key text not null,
      created_at timestamptz not null default now()
    );
    create index ticketing_customer_keys_user on ticketing_customer_keys (user_id);
    create table ticketing_simulated_payments (
      payment_key text primary key,
      payment_id uuid,
      amount_cents bigint,
      status text not null check (status in ('charged', 'refunded', 'voided')),
      charged_at timestamptz,
      refunded_at timestamptz
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists ticketing_customer_keys; drop table if exists ticketing_simulated_payments;');
}

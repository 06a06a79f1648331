import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import { PaymentDeclined, PaymentUnavailable } from '../../domain/ticketing.errors';
import type { PaymentProvider } from './payment-provider';

/** Tokens the simulated provider treats specially; any other token pays. */
export const DECLINED_TOKEN = 'tok_declined';
export const FAILING_TOKEN = 'tok_error';

/**
 * The built-in payment provider: it accepts every token but `tok_declined` (declined) and
 * `tok_error` (fails, as an unreachable provider does), and keeps its charges as a real provider
 * would, in its own table (`ticketing_simulated_payments`), so every api process sees one charge
 * per key.
 */
@Injectable()
export class SimulatedPaymentProvider implements PaymentProvider {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async charge({ key, amountCents, token }: { key: string; amountCents: number; token: string }): Promise<{ paymentId: string }> {
    if (token === DECLINED_TOKEN) throw new PaymentDeclined('the card was declined (simulated token tok_declined)');
    if (token === FAILING_TOKEN) throw new PaymentUnavailable('the simulated provider failed (token tok_error)');
    await this.knex.raw(
      `insert into ticketing_simulated_payments (payment_key, payment_id, amount_cents, status, charged_at) values (?, ?, ?, 'charged', now()) on conflict (payment_key) do nothing`,
      [key, randomUUID(), amountCents],
    );
    const row = await this.knex('ticketing_simulated_payments').where({ payment_key: key }).first<{ payment_id: string | null; status: string }>('payment_id', 'status');
    if (!row || row.status === 'voided' || row.payment_id === null) throw new PaymentDeclined('the payment was voided before it was charged');
    return { paymentId: row.payment_id };
  }

  async refund({ key }: { key: string }): Promise<{ refunded: boolean; paymentId: string | null }> {
    const { rows } = await this.knex.raw<{ rows: { payment_id: string | null; status: string }[] }>(
      `insert into ticketing_simulated_payments (payment_key, status) values (?, 'voided')
       on conflict (payment_key) do update set status = 'refunded', refunded_at = coalesce(ticketing_simulated_payments.refunded_at, now())
         where ticketing_simulated_payments.status <> 'voided'
       returning payment_id, status`,
      [key],
    );
    const row = rows[0] ?? (await this.knex('ticketing_simulated_payments').where({ payment_key: key }).first('payment_id', 'status'));
    return row && row.status === 'refunded' ? { refunded: true, paymentId: row.payment_id } : { refunded: false, paymentId: null };
  }
}

import { defineProjection } from '@app/core';
import type {
  BillingCycleClosed,
  BillingCycleCloseStarted,
  PayoutEmailFailed,
  PayoutEmailRequested,
  PayoutEmailSent,
  PayoutEmailStoredInOutbox,
} from '@app/accounting/domain/accounting.events';

export const BILLING_PROJECTION = 'billing';

export type EmailStatus = 'pending' | 'failed' | 'sent' | 'outbox';

/** A row of `payout_emails`. */
export interface PayoutEmailRow {
  email_id: string;
  payout_id: string;
  user_id: string;
  to: string;
  subject: string;
  text: string;
  amount: string;
  date: string;
  status: EmailStatus;
  attempts: number;
  last_error: string | null;
  requested_at: Date;
  delivered_at: Date | null;
  position: string;
}

/** A row of `billing_cycles`. */
export interface BillingCycleRow {
  date: string;
  status: 'closing' | 'closed';
  payouts: number | null;
  total: string | null;
  started_at: Date;
  closed_at: Date | null;
}

/** Billing cycles and payout emails with their delivery status: the local outbox is this table. */
export const billingProjection = defineProjection({
  name: BILLING_PROJECTION,
  version: 1,
  tables: {
    billing_cycles: (t) => {
      t.text('date').primary();
      t.text('status').notNullable();
      t.integer('payouts');
      t.bigInteger('total');
      t.timestamp('started_at', { useTz: true }).notNullable();
      t.timestamp('closed_at', { useTz: true });
    },
    payout_emails: (t) => {
      t.uuid('email_id').primary();
      t.uuid('payout_id').notNullable();
      t.uuid('user_id').notNullable();
      t.text('to').notNullable();
      t.text('subject').notNullable();
      t.text('text').notNullable();
      t.bigInteger('amount').notNullable();
      t.text('date').notNullable();
      t.text('status').notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.text('last_error');
      t.timestamp('requested_at', { useTz: true }).notNullable();
      t.timestamp('delivered_at', { useTz: true });
      t.text('position').notNullable();
      t.index(['user_id', 'position']);
    },
  },
  handlers: {
    BillingCycleCloseStarted: async (event, { table }) => {
      const { date, startedAt } = event.data as BillingCycleCloseStarted['data'];
      await table('billing_cycles').insert({ date, status: 'closing', started_at: startedAt });
    },
    BillingCycleClosed: async (event, { table }) => {
      const { date, payouts, total, closedAt } = event.data as BillingCycleClosed['data'];
      await table('billing_cycles').where({ date }).update({ status: 'closed', payouts, total, closed_at: closedAt });
    },
    PayoutEmailRequested: async (event, { table }) => {
      const { emailId, payoutId, userId, to, subject, text, amount, date, requestedAt } = event.data as PayoutEmailRequested['data'];
      await table('payout_emails').insert({
        email_id: emailId,
        payout_id: payoutId,
        user_id: userId,
        to,
        subject,
        text,
        amount,
        date,
        status: 'pending',
        requested_at: requestedAt,
        position: event.position,
      });
    },
    PayoutEmailSent: async (event, { table }) => {
      const { emailId, attempt, sentAt } = event.data as PayoutEmailSent['data'];
      await table('payout_emails').where({ email_id: emailId }).update({ status: 'sent', attempts: attempt, delivered_at: sentAt });
    },
    PayoutEmailFailed: async (event, { table }) => {
      const { emailId, attempt, error } = event.data as PayoutEmailFailed['data'];
      await table('payout_emails').where({ email_id: emailId }).update({ status: 'failed', attempts: attempt, last_error: error });
    },
    PayoutEmailStoredInOutbox: async (event, { table }) => {
      const { emailId, storedAt } = event.data as PayoutEmailStoredInOutbox['data'];
      await table('payout_emails').where({ email_id: emailId }).update({ status: 'outbox', delivered_at: storedAt });
    },
  },
});

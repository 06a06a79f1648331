import { defineProjection } from '@app/core';
import type { BillingCycleEvent, PayoutEmailEvent } from '@app/accounting/contract';

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
export const billingProjection = defineProjection<BillingCycleEvent | PayoutEmailEvent, 'billing_cycles' | 'payout_emails'>({
  name: 'billing',
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
  eventTypes: [
    'BillingCycleCloseStarted',
    'BillingCycleClosed',
    'PayoutEmailRequested',
    'PayoutEmailSent',
    'PayoutEmailFailed',
    'PayoutEmailStoredInOutbox',
  ],
  // Event by event: a billing day and an email each see a handful of events.
  apply: async (events, { table }) => {
    for (const event of events) {
      switch (event.type) {
        case 'BillingCycleCloseStarted': {
          const { date, startedAt } = event.data;
          await table('billing_cycles').insert({ date, status: 'closing', started_at: startedAt });
          break;
        }
        case 'BillingCycleClosed': {
          const { date, payouts, total, closedAt } = event.data;
          await table('billing_cycles').where({ date }).update({ status: 'closed', payouts, total, closed_at: closedAt });
          break;
        }
        case 'PayoutEmailRequested': {
          const { emailId, payoutId, userId, to, subject, text, amount, date, requestedAt } = event.data;
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
          break;
        }
        case 'PayoutEmailSent': {
          const { emailId, attempt, sentAt } = event.data;
          await table('payout_emails').where({ email_id: emailId }).update({ status: 'sent', attempts: attempt, delivered_at: sentAt });
          break;
        }
        case 'PayoutEmailFailed': {
          const { emailId, attempt, error } = event.data;
          await table('payout_emails').where({ email_id: emailId }).update({ status: 'failed', attempts: attempt, last_error: error });
          break;
        }
        case 'PayoutEmailStoredInOutbox': {
          const { emailId, storedAt } = event.data;
          await table('payout_emails').where({ email_id: emailId }).update({ status: 'outbox', delivered_at: storedAt });
          break;
        }
      }
    }
  },
});

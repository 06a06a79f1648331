import { defineQueries } from '@app/core';
import { billingProjection, type PayoutEmailRow } from './billing.projection';

export type { BillingCycleRow, EmailStatus, PayoutEmailRow } from './billing.projection';

/** Billing cycles and payout emails. */
export const billingQueries = defineQueries(billingProjection, ({ table }) => ({
  /** Payout emails, oldest first; only one worker's with `userId`. */
  emails: (userId?: string): Promise<PayoutEmailRow[]> => {
    const query = table<PayoutEmailRow>('payout_emails').orderBy('position');
    if (userId) query.where({ user_id: userId });
    return query;
  },
}));

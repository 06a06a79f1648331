import { defineQueries } from '@app/core';
import { type WaitlistRow, waitlistProjection } from './waitlist.projection';

export type { WaitlistRow } from './waitlist.projection';

export const waitlistQueries = defineQueries(waitlistProjection, ({ table }) => ({
  /** The show a waitlist entry is on, or null for no such entry. */
  showOf: async (waitlistId: string): Promise<string | null> => {
    const row = await table<WaitlistRow>('ticketing_waitlist').where({ waitlist_id: waitlistId }).first('show_id');
    return row?.show_id ?? null;
  },

  /** A customer's waitlist entries, every one, newest first. */
  ofCustomer: (customerId: string): Promise<WaitlistRow[]> =>
    table<WaitlistRow>('ticketing_waitlist').where({ customer_id: customerId }).orderBy([{ column: 'joined_at', order: 'desc' }, { column: 'waitlist_id', order: 'desc' }]),
}));

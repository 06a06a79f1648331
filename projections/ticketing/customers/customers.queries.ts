import { defineQueries } from '@app/core';
import { type CustomerRow, customersProjection } from './customers.projection';

export type { CustomerRow } from './customers.projection';

/** A customer's encrypted personal data with their wrapped data key: what decrypting it takes. */
export interface SealedCustomerRow {
  user_id: string;
  key_id: string;
  iv: string;
  ciphertext: string;
  tag: string;
  wrapped_key: string;
}

export const customersQueries = defineQueries(customersProjection, ({ knex }) => ({
  /**
   * The customers among `userIds` whose personal data can still be read, in one query: their row
   * joined with the key it is encrypted under (`ticketing_customer_keys`, TicketSafe's key vault,
   * not a read model). A forgotten customer's key is gone, so they are not in the answer even
   * before the read model has applied their CustomerForgotten.
   */
  sealedFor: async (userIds: readonly string[]): Promise<SealedCustomerRow[]> => {
    if (userIds.length === 0) return [];
    return knex
      .select<SealedCustomerRow[]>('c.user_id', 'c.key_id', 'c.iv', 'c.ciphertext', 'c.tag', 'k.wrapped_key')
      .from<CustomerRow>({ c: 'ticketing_customers' })
      .join({ k: 'ticketing_customer_keys' }, (on) => on.on('k.key_id', '=', 'c.key_id').andOn('k.user_id', '=', 'c.user_id'))
      .whereIn('c.user_id', [...userIds]);
  },
}));

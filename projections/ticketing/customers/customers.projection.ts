import { defineRowProjection } from '@app/core';
import type { CustomerForgotten, CustomerPersonalDataSet } from '@app/ticketing/contract';

/**
 * A row of `ticketing_customers`: one customer's personal data for tickets as the log has it,
 * encrypted under their data key `key_id` (AES-256-GCM, base64 parts). Never clear text: the key
 * is elsewhere, so forgetting (destroying the key) leaves nothing here that can be read, and a
 * rebuild only writes these rows again for customers not forgotten since.
 */
export interface CustomerRow {
  user_id: string;
  key_id: string;
  iv: string;
  ciphertext: string;
  tag: string;
  set_at: Date;
}

type CustomerEvent = CustomerPersonalDataSet | CustomerForgotten;

/** Each customer's latest encrypted personal data; a forgotten customer has no row. */
export const customersProjection = defineRowProjection<CustomerRow, CustomerEvent, 'ticketing_customers'>({
  name: 'ticketing_customers',
  version: 1,
  table: 'ticketing_customers',
  columns: (t) => {
    t.text('user_id').primary();
    t.uuid('key_id').notNullable();
    t.text('iv').notNullable();
    t.text('ciphertext').notNullable();
    t.text('tag').notNullable();
    t.timestamp('set_at', { useTz: true }).notNullable();
  },
  key: 'user_id',
  keyOf: (event) => event.data.userId,
  evolve: {
    CustomerPersonalDataSet: (_row, { data }) => ({
      user_id: data.userId,
      key_id: data.keyId,
      iv: data.iv,
      ciphertext: data.ciphertext,
      tag: data.tag,
      set_at: new Date(data.setAt),
    }),
    CustomerForgotten: () => null,
  },
});

import { defineRowProjection } from '@app/core';
import type { LedgerEventCodeEvent } from '@app/ledger/contract';

/** A row of `ledger_event_codes`: one event code with its settings as they are now. */
export interface EventCodeRow {
  code: number;
  description: string;
  allow_debit: boolean;
  allow_credit: boolean;
  active: boolean;
  created_at: Date;
}

/** Every event code with its current settings, for the list admins and accountants read. */
export const eventCodesProjection = defineRowProjection<EventCodeRow, LedgerEventCodeEvent, 'ledger_event_codes'>({
  name: 'ledger_event_codes',
  version: 1,
  table: 'ledger_event_codes',
  columns: (t) => {
    t.integer('code').primary();
    t.text('description').notNullable();
    t.boolean('allow_debit').notNullable();
    t.boolean('allow_credit').notNullable();
    t.boolean('active').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  },
  key: 'code',
  keyOf: (event) => String(event.data.code),
  evolve: {
    LedgerEventCodeRegistered: (_row, { data }) => ({
      code: data.code,
      description: data.description,
      allow_debit: data.allowDebit,
      allow_credit: data.allowCredit,
      active: data.active,
      created_at: new Date(data.registeredAt),
    }),
    LedgerEventCodeChanged: (row, { data }) =>
      row ? { ...row, description: data.description, allow_debit: data.allowDebit, allow_credit: data.allowCredit, active: data.active } : null,
  },
});

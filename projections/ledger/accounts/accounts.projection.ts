import { defineRowProjection } from '@app/core';
import type { LedgerAccountEvent } from '@app/ledger/contract';

/** A row of `ledger_accounts`: one open account, and whether it is blocked now. */
export interface LedgerAccountRow {
  /** `<branch>:<account>`, as the account's stream names it (neither holds `:`). */
  account_key: string;
  branch: string;
  account: string;
  holder: string;
  blocked: boolean;
  opened_at: Date;
}

const keyOf = (data: { branch: string; account: string }) => `${data.branch}:${data.account}`;

/** Every open account, for the paged list: pages run by (branch, account), which the unique index orders. */
export const ledgerAccountsProjection = defineRowProjection<LedgerAccountRow, LedgerAccountEvent, 'ledger_accounts'>({
  name: 'ledger_accounts',
  version: 1,
  table: 'ledger_accounts',
  columns: (t) => {
    t.text('account_key').primary();
    t.text('branch').notNullable();
    t.text('account').notNullable();
    t.text('holder').notNullable();
    t.boolean('blocked').notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.unique(['branch', 'account']);
  },
  key: 'account_key',
  keyOf: (event) => keyOf(event.data),
  evolve: {
    LedgerAccountOpened: (_row, { data }) => ({
      account_key: keyOf(data),
      branch: data.branch,
      account: data.account,
      holder: data.holder,
      blocked: false,
      opened_at: new Date(data.openedAt),
    }),
    LedgerAccountBlocked: (row) => (row ? { ...row, blocked: true } : null),
    LedgerAccountUnblocked: (row) => (row ? { ...row, blocked: false } : null),
  },
});

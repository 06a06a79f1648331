import { defineQueries } from '@app/core';
import { type LedgerAccountRow, ledgerAccountsProjection } from './accounts.projection';

export type { LedgerAccountRow } from './accounts.projection';

/** Where an accounts page ends: the next page starts after this account. */
export interface AccountsCursor {
  branch: string;
  account: string;
}

export const ledgerAccountsQueries = defineQueries(ledgerAccountsProjection, ({ table }) => ({
  /**
   * Open accounts by branch, then account, optionally of one branch; at most `limit`, after
   * `cursor`. `next` is the cursor of the page after, absent on the last page.
   */
  page: async ({ branch, limit, cursor }: { branch?: string; limit: number; cursor?: AccountsCursor }): Promise<{ rows: LedgerAccountRow[]; next?: AccountsCursor }> => {
    const query = table<LedgerAccountRow>('ledger_accounts');
    if (branch !== undefined) query.where({ branch });
    if (cursor) query.whereRaw('(branch, account) > (?, ?)', [cursor.branch, cursor.account]);
    const rows: LedgerAccountRow[] = await query.orderBy([{ column: 'branch' }, { column: 'account' }]).limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, ...(rows.length > limit && last ? { next: { branch: last.branch, account: last.account } } : {}) };
  },
}));

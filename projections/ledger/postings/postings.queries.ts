import { defineQueries } from '@app/core';
import { type PostingRow, postingsProjection } from './postings.projection';

export type { PostingRow } from './postings.projection';

/** A posting as statements and status show it; cents as the decimal string of a whole number, instants ISO-8601. */
export interface PostingStatusRow {
  postingId: string;
  traceKey: string;
  branch: string;
  account: string;
  amountCents: string;
  debitCredit: 'D' | 'C';
  eventCode: number;
  description: string;
  details: Record<string, unknown>;
  dateRef: string;
  status: 'accepted' | 'applied';
  acceptedAt: string;
  appliedAt: string | null;
}

/** Where a statement page ends: the next page starts after this posting. */
export interface StatementCursor {
  dateRef: string;
  position: string;
}

function statusOf(row: PostingRow): PostingStatusRow {
  return {
    postingId: row.posting_id,
    traceKey: row.trace_key,
    branch: row.branch,
    account: row.account,
    amountCents: row.amount_cents,
    debitCredit: row.debit_credit,
    eventCode: row.event_code,
    description: row.description,
    details: row.details,
    dateRef: row.date_ref,
    status: row.applied_at ? 'applied' : 'accepted',
    acceptedAt: row.accepted_at.toISOString(),
    appliedAt: row.applied_at?.toISOString() ?? null,
  };
}

/** Every posting: status by trace key, and statements. */
export const postingsQueries = defineQueries(postingsProjection, ({ table }) => ({
  /** The posting of a trace key (undefined: this read model has not seen it accepted). */
  byTraceKey: async (traceKey: string): Promise<PostingStatusRow | undefined> => {
    const row: PostingRow | undefined = await table<PostingRow>('ledger_postings').where({ trace_key: traceKey }).first();
    return row && statusOf(row);
  },

  /**
   * An account's postings with `dateRef` from `from` to `to` (both included), by `dateRef`, then in
   * the order they were accepted; at most `limit`, after `cursor`. `next` is the cursor of the page
   * after, absent on the last page.
   */
  statement: async (
    branch: string,
    account: string,
    { from, to, limit, cursor }: { from: string; to: string; limit: number; cursor?: StatementCursor },
  ): Promise<{ items: PostingStatusRow[]; next?: StatementCursor }> => {
    const query = table<PostingRow>('ledger_postings').where({ branch, account }).whereBetween('date_ref', [from, to]);
    if (cursor) query.whereRaw('(date_ref, position) > (?, ?)', [cursor.dateRef, cursor.position]);
    const rows: PostingRow[] = await query.orderBy([{ column: 'date_ref' }, { column: 'position' }]).limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(statusOf), ...(rows.length > limit && last ? { next: { dateRef: last.date_ref, position: last.position } } : {}) };
  },
}));

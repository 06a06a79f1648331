import { defineProjection, type ProjectionContext, type Recorded } from '@app/core';
import type { LedgerPostingEvent } from '@app/ledger/contract';

type PostingsTable = 'ledger_postings';

/** A row of `ledger_postings`: one accepted posting, and when the balances came to include it. */
export interface PostingRow {
  trace_key: string;
  posting_id: string;
  branch: string;
  account: string;
  /** Cents, a bigint column (a string out of PostgreSQL). */
  amount_cents: string;
  debit_credit: 'D' | 'C';
  event_code: number;
  description: string;
  details: Record<string, unknown>;
  date_ref: string;
  accepted_at: Date;
  /** Null while the balances do not include it yet. */
  applied_at: Date | null;
  /** The log position of its acceptance: statements list a day's postings in the order they were accepted. */
  position: string;
}

/**
 * Every posting, for statements (by account and date, in acceptance order) and status by trace
 * key. A posting is `accepted` from its LedgerPostingAccepted and `applied` from its
 * LedgerPostingApplied, which carries the moment the balances included it: the read model takes
 * that time from the log, never from a clock, so a rebuild gives the same rows.
 * `details` is a `json` column, which keeps the client's object as it was sent (`jsonb` would
 * reorder its keys).
 */
export const postingsProjection = defineProjection<LedgerPostingEvent, PostingsTable>({
  name: 'ledger_postings',
  version: 1,
  tables: {
    ledger_postings: (t) => {
      t.uuid('trace_key').primary();
      t.uuid('posting_id').notNullable().unique();
      t.text('branch').notNullable();
      t.text('account').notNullable();
      t.bigInteger('amount_cents').notNullable();
      t.text('debit_credit').notNullable();
      t.integer('event_code').notNullable();
      t.text('description').notNullable();
      t.json('details').notNullable();
      t.text('date_ref').notNullable();
      t.timestamp('accepted_at', { useTz: true }).notNullable();
      t.timestamp('applied_at', { useTz: true });
      t.text('position').notNullable();
      t.index(['branch', 'account', 'date_ref', 'position']);
    },
  },
  eventTypes: ['LedgerPostingAccepted', 'LedgerPostingApplied'],
  apply: applyBatch,
});

/** Rows per insert: PostgreSQL takes at most 65,535 parameters in one statement. */
const ROWS_PER_INSERT = 4000;

/** A batch in a fixed number of statements: the accepted postings in multi-row inserts, then every applied one in one update. */
async function applyBatch(events: readonly Recorded<LedgerPostingEvent>[], { trx, table, tableName }: ProjectionContext<PostingsTable>): Promise<void> {
  const inserts: Record<string, unknown>[] = [];
  const applied: { traceKey: string; appliedAt: string }[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'LedgerPostingAccepted': {
        const { data } = event;
        inserts.push({
          trace_key: data.traceKey,
          posting_id: data.postingId,
          branch: data.branch,
          account: data.account,
          amount_cents: data.amountCents,
          debit_credit: data.debitCredit,
          event_code: data.eventCode,
          description: data.description,
          details: JSON.stringify(data.details),
          date_ref: data.dateRef,
          accepted_at: data.acceptedAt,
          applied_at: null,
          position: event.position,
        });
        break;
      }
      case 'LedgerPostingApplied':
        applied.push({ traceKey: event.data.traceKey, appliedAt: event.data.appliedAt });
        break;
    }
  }
  for (let from = 0; from < inserts.length; from += ROWS_PER_INSERT) {
    await table('ledger_postings').insert(inserts.slice(from, from + ROWS_PER_INSERT));
  }
  // After the inserts: a posting accepted and applied within one batch is inserted first.
  if (applied.length > 0) {
    await trx.raw(
      `update ?? t set applied_at = d.applied_at
         from unnest(?::uuid[], ?::timestamptz[]) as d(trace_key, applied_at)
        where t.trace_key = d.trace_key and t.applied_at is null`,
      [tableName('ledger_postings'), applied.map((a) => a.traceKey), applied.map((a) => a.appliedAt)],
    );
  }
}

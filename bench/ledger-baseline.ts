import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { percentile } from './bench-env';

/**
 * The seed design the ledger replaces, as the anchor of `npm run bench:ledger`: a synchronous
 * balance engine, one SQL statement per posting, in a database of its own on the same server.
 *
 * The statement is `select ledger_post(...)`, a PL/pgSQL function that, in one round trip and one
 * autocommit transaction, inserts the posting, locks the account's balance rows from the
 * reference date on (FOR UPDATE), reads the accumulated values of the last earlier day, upserts the
 * day's row and adds the amount to the accumulated values of every later day.
 *
 * Why a function and not a single statement of CTEs: a statement runs on one snapshot, taken before
 * any of its locks is granted, so two concurrent postings of one account lose an update whenever
 * one creates a day the other's snapshot did not have (a retroactive posting's UPDATE of "every
 * later day" does not see a day row inserted after its snapshot; a new day reads its "last earlier
 * day" from the snapshot). In a volatile function each statement takes a fresh snapshot, so the
 * first one takes a transaction lock on the account (pg_advisory_xact_lock) and the rest see
 * everything committed before it: exact balances, which the benchmark checks.
 */
/** One generated posting, as both engines are given it. */
export interface BenchPosting {
  traceKey: string;
  branch: string;
  account: string;
  amountCents: bigint;
  debitCredit: 'D' | 'C';
  eventCode: number;
  description: string;
  dateRef: string;
}

export const BASELINE_SCHEMA = `
create table baseline_postings (
  posting_id bigserial primary key,
  trace_key uuid not null unique,
  branch text not null,
  account text not null,
  amount_cents bigint not null,
  debit_credit char(1) not null,
  event_code integer not null,
  description text not null,
  date_ref date not null,
  accepted_at timestamptz not null default now()
);
create table baseline_daily_balances (
  branch text not null,
  account text not null,
  date date not null,
  total_debit bigint not null,
  total_credit bigint not null,
  accumulated_debit bigint not null,
  accumulated_credit bigint not null,
  primary key (branch, account, date)
);
create function ledger_post(p_trace uuid, p_branch text, p_account text, p_amount bigint, p_side char, p_code integer, p_description text, p_date date)
returns void language plpgsql as $$
declare
  v_debit bigint := case when p_side = 'D' then p_amount else 0 end;
  v_credit bigint := case when p_side = 'C' then p_amount else 0 end;
  v_prior_debit bigint;
  v_prior_credit bigint;
begin
  perform pg_advisory_xact_lock(hashtextextended(p_branch || '/' || p_account, 0));
  insert into baseline_postings (trace_key, branch, account, amount_cents, debit_credit, event_code, description, date_ref)
  values (p_trace, p_branch, p_account, p_amount, p_side, p_code, p_description, p_date);
  perform 1 from baseline_daily_balances where branch = p_branch and account = p_account and date >= p_date for update;
  select accumulated_debit, accumulated_credit into v_prior_debit, v_prior_credit
    from baseline_daily_balances where branch = p_branch and account = p_account and date < p_date
   order by date desc limit 1;
  insert into baseline_daily_balances as b (branch, account, date, total_debit, total_credit, accumulated_debit, accumulated_credit)
  values (p_branch, p_account, p_date, v_debit, v_credit, coalesce(v_prior_debit, 0) + v_debit, coalesce(v_prior_credit, 0) + v_credit)
  on conflict (branch, account, date) do update
     set total_debit = b.total_debit + v_debit, total_credit = b.total_credit + v_credit,
         accumulated_debit = b.accumulated_debit + v_debit, accumulated_credit = b.accumulated_credit + v_credit;
  update baseline_daily_balances
     set accumulated_debit = accumulated_debit + v_debit, accumulated_credit = accumulated_credit + v_credit
   where branch = p_branch and account = p_account and date > p_date;
end $$;
`;

const POST = 'select ledger_post($1, $2, $3, $4, $5, $6, $7, $8)';

function parameters(p: BenchPosting): unknown[] {
  return [p.traceKey, p.branch, p.account, p.amountCents.toString(), p.debitCredit, p.eventCode, p.description, p.dateRef];
}

export interface BaselineRun {
  postings: number;
  seconds: number;
  perSecond: number;
  /** Per statement (singles) or per batch's transaction (batches), in ms. */
  p50: number;
  p99: number;
  errors: number;
}

export class Baseline {
  private constructor(private readonly clients: Client[]) {}

  /** Creates the schema in `url`'s (empty) database and opens `connections` clients. */
  static async open(url: string, connections: number): Promise<Baseline> {
    const setup = new Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(BASELINE_SCHEMA);
    } finally {
      await setup.end();
    }
    const clients = await Promise.all(
      Array.from({ length: connections }, async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        return client;
      }),
    );
    return new Baseline(clients);
  }

  /** Each posting in one statement of its own, the clients taking the next one in turn. */
  singles(postings: readonly BenchPosting[]): Promise<BaselineRun> {
    return this.drive(postings.length, postings.map((p) => [p]), async (client, [posting]) => {
      await client.query(POST, parameters(posting));
    });
  }

  /**
   * Each batch in one transaction: its postings' statements one after another, in the order of
   * their accounts, so two batches take their account locks in one order and never deadlock.
   */
  batches(batches: readonly (readonly BenchPosting[])[]): Promise<BaselineRun> {
    const total = batches.reduce((sum, batch) => sum + batch.length, 0);
    return this.drive(total, batches, async (client, batch) => {
      const ordered = [...batch].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
      await client.query('begin');
      try {
        for (const posting of ordered) await client.query(POST, parameters(posting));
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    });
  }

  private async drive<T>(postings: number, units: readonly T[], run: (client: Client, unit: T) => Promise<void>): Promise<BaselineRun> {
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      this.clients.map(async (client) => {
        while (next < units.length) {
          const unit = units[next++];
          const sent = performance.now();
          try {
            await run(client, unit);
            latencies.push(performance.now() - sent);
          } catch (error) {
            if (errors++ < 3) console.error(`baseline: ${(error as Error).message}`);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { postings, seconds, perSecond: postings / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
  }

  /** Every row of the balance table, as `account|date` → the four values in cents. */
  async balances(): Promise<Map<string, DayCents>> {
    const client = this.clients[0];
    const { rows } = await client.query<{ branch: string; account: string; date: string; td: string; tc: string; ad: string; ac: string }>(
      `select branch, account, to_char(date, 'YYYY-MM-DD') as date, total_debit::text as td, total_credit::text as tc,
              accumulated_debit::text as ad, accumulated_credit::text as ac
         from baseline_daily_balances`,
    );
    return new Map(
      rows.map((r) => [dayKey(r.branch, r.account, r.date), { totalDebit: BigInt(r.td), totalCredit: BigInt(r.tc), accumulatedDebit: BigInt(r.ad), accumulatedCredit: BigInt(r.ac) }]),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
  }
}

export interface DayCents {
  totalDebit: bigint;
  totalCredit: bigint;
  accumulatedDebit: bigint;
  accumulatedCredit: bigint;
}

export function dayKey(branch: string, account: string, date: string): string {
  return `${branch}/${account}|${date}`;
}

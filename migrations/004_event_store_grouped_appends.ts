import type { Knex } from 'knex';

/**
 * Grouped appends: `es_append_many` runs several appends in one transaction, so appends that queue
 * up behind each other in the adapter share one commit (one WAL flush) instead of one each.
 *
 * Log order is (transaction_id, global_position), so two transactions that write the same stream
 * must get their transaction ids in the order they write it. A single append gets its id when it
 * first writes, which is when it locks its stream's row, so that held already. A group writes
 * several streams: it would get its id at its first stream and could then queue behind a younger
 * transaction on a later one, putting that stream's next revision before the previous one in the
 * log. So every append now first takes a transaction-scoped advisory lock on its stream (which
 * assigns no transaction id): `es_append` becomes a wrapper that takes the lock and calls the
 * original, renamed `es_append_unlocked`; a group takes all its locks, in key order (no deadlock
 * between groups), before its first write. Whoever writes a stream after another transaction therefore
 * drew its transaction id after that transaction committed.
 *
 * Each append in a group runs exactly as `es_append` on its own; `idx` is its 1-based place in the
 * arguments; its events are the slice of the flat id/type/data/metadata arrays given by
 * `p_counts`. A wrong expected revision is a result row, not an error, so one append's conflict
 * never undoes another's; anything that does raise aborts the whole group, and the adapter retries
 * its appends one by one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter function es_append(text, text, uuid[], text[], text[], text[]) rename to es_append_unlocked;

    create function es_append(
      p_stream text, p_expected text, p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
    ) returns table (status text, revision bigint, tx xid8, pos bigint)
    language plpgsql as $fn$
    begin
      perform pg_advisory_xact_lock(hashtextextended(p_stream, 0));
      return query select * from es_append_unlocked(p_stream, p_expected, p_ids, p_types, p_data, p_metadata);
    end
    $fn$;

    create function es_append_many(
      p_streams text[], p_expected text[], p_counts int[],
      p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
    ) returns table (idx int, status text, revision bigint, tx xid8, pos bigint)
    language plpgsql as $fn$
    declare
      v_key bigint;
      v_first int := 1;
      v_last int;
    begin
      for v_key in select distinct hashtextextended(s, 0) from unnest(p_streams) s order by 1 loop
        perform pg_advisory_xact_lock(v_key);
      end loop;
      for i in 1 .. cardinality(p_streams) loop
        v_last := v_first + p_counts[i] - 1;
        return query
          select i, a.status, a.revision, a.tx, a.pos
            from es_append_unlocked(p_streams[i], p_expected[i], p_ids[v_first:v_last], p_types[v_first:v_last],
                                    p_data[v_first:v_last], p_metadata[v_first:v_last]) a;
        v_first := v_last + 1;
      end loop;
    end
    $fn$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function es_append_many(text[], text[], int[], uuid[], text[], text[], text[]);
    drop function es_append(text, text, uuid[], text[], text[], text[]);
    alter function es_append_unlocked(text, text, uuid[], text[], text[], text[]) rename to es_append;
  `);
}

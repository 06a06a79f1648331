import type { Knex } from 'knex';

/**
 * The PostgreSQL event store.
 *
 * - `es_streams` holds each stream's current revision: optimistic concurrency is a compare-and-set
 *   on that row, so concurrent writers to one stream serialise on its row lock.
 * - `es_events` is the log. Log order is (transaction_id, global_position): a sequence number is
 *   drawn at insert but becomes visible at commit, so readers only read below the oldest
 *   transaction still running (`pg_snapshot_xmin`), and never skip a late committer.
 * - `es_append` does a whole append in one round trip and one implicit transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table es_streams (
      stream_name text primary key,
      revision bigint not null
    );

    create table es_events (
      transaction_id xid8 not null default pg_current_xact_id(),
      global_position bigint generated always as identity,
      stream_name text not null,
      revision bigint not null,
      event_id uuid not null,
      type text not null,
      data json not null,
      metadata json not null,
      recorded_at timestamptz not null default now(),
      primary key (stream_name, revision)
    );
    create unique index es_events_event_id on es_events (event_id);
    create index es_events_log_order on es_events (transaction_id, global_position);

    -- The original result of an append whose event ids are already stored, or no row.
    create function es_prior_append(p_stream text, p_ids uuid[], p_first_revision bigint)
    returns table (status text, revision bigint, tx xid8, pos bigint)
    language plpgsql stable as $fn$
    declare
      v_first es_events%rowtype;
      v_matches int;
    begin
      select * into v_first from es_events e where e.event_id = p_ids[1];
      if not found then
        return;
      end if;
      if v_first.stream_name <> p_stream then
        raise exception 'event id % is already stored in another stream', p_ids[1]
          using errcode = 'P0E01';
      end if;
      if p_first_revision is not null and v_first.revision <> p_first_revision then
        return;
      end if;
      select count(*) into v_matches
        from unnest(p_ids) with ordinality as i(id, ord)
        join es_events e on e.stream_name = p_stream and e.revision = v_first.revision + i.ord - 1 and e.event_id = i.id;
      if v_matches <> cardinality(p_ids) then
        raise exception 'event ids of % only partly match an earlier append', p_ids[1]
          using errcode = 'P0E01';
      end if;
      return query
        select 'idempotent'::text, e.revision, e.transaction_id, e.global_position
          from es_events e
         where e.stream_name = p_stream and e.revision = v_first.revision + cardinality(p_ids) - 1;
    end
    $fn$;

    create function es_append(
      p_stream text, p_expected text, p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
    ) returns table (status text, revision bigint, tx xid8, pos bigint)
    language plpgsql as $fn$
    declare
      n int := cardinality(p_ids);
      v_revision bigint;
    begin
      if p_expected in ('any', 'stream_exists') then
        return query select * from es_prior_append(p_stream, p_ids, null);
        if found then return; end if;
      end if;

      if p_expected = 'any' then
        insert into es_streams as s (stream_name, revision) values (p_stream, n - 1)
          on conflict (stream_name) do update set revision = s.revision + n
          returning s.revision into v_revision;
      elsif p_expected = 'no_stream' then
        insert into es_streams as s (stream_name, revision) values (p_stream, n - 1)
          on conflict (stream_name) do nothing
          returning s.revision into v_revision;
      elsif p_expected = 'stream_exists' then
        update es_streams s set revision = s.revision + n
         where s.stream_name = p_stream
        returning s.revision into v_revision;
      else
        update es_streams s set revision = s.revision + n
         where s.stream_name = p_stream and s.revision = p_expected::bigint
        returning s.revision into v_revision;
      end if;

      if v_revision is null then
        return query select * from es_prior_append(
          p_stream, p_ids,
          case when p_expected = 'no_stream' then 0
               when p_expected in ('any', 'stream_exists') then null
               else p_expected::bigint + 1 end);
        if found then return; end if;
        return query
          select 'wrong_expected_version'::text, s.revision, null::xid8, null::bigint
            from (select 1) one left join es_streams s on s.stream_name = p_stream;
        return;
      end if;

      return query
        with inserted as (
          insert into es_events (stream_name, revision, event_id, type, data, metadata)
          select p_stream, v_revision - n + e.ord, e.id, e.type, e.data::json, e.metadata::json
            from unnest(p_ids, p_types, p_data, p_metadata) with ordinality as e(id, type, data, metadata, ord)
           order by e.ord
          returning global_position
        )
        select 'ok'::text, v_revision, pg_current_xact_id(), max(inserted.global_position) from inserted;
    end
    $fn$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function if exists es_append(text, text, uuid[], text[], text[], text[]);
    drop function if exists es_prior_append(text, uuid[], bigint);
    drop table if exists es_events;
    drop table if exists es_streams;
  `);
}

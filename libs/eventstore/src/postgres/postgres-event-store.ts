import { Client, Pool } from 'pg';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  Position,
  ReadAllBackwardsOptions,
  ReadAllOptions,
  ReadStreamOptions,
  StreamRead,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { assertStorable } from '../storable';
import { decodePosition, encodePosition } from '../position';
import { type LogPage, type LogReader, PostgresSubscription } from './postgres-subscription';
import { AppendSignal } from './append-signal';
import { AppendQueue, type AppendRequest, type AppendRow } from './append-queue';
import { LogTail } from './log-tail';

const MAX_BIGINT = 2n ** 63n - 1n;

const APPEND_CHANNEL = 'es_appended';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Connections for appends and reads. */
  poolSize?: number;
  /** How often an idle subscription looks for new events when no notification arrives. */
  pollIntervalMs?: number;
  /**
   * Append transactions in flight at once; appends arriving while all are busy are committed
   * together in one transaction (see AppendQueue). Default 2.
   */
  appendConcurrency?: number;
}

interface EventRow {
  tx: string;
  pos: string;
  stream_name: string;
  revision: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

const APPEND_SQL = 'select status, revision::text, tx::text, pos::text from es_append($1, $2, $3, $4, $5, $6)';
const APPEND_MANY_SQL =
  'select idx, status, revision::text, tx::text, pos::text from es_append_many($1, $2, $3, $4, $5, $6, $7) order by idx';

/** The least time between two NOTIFYs of one store to other processes' subscriptions. */
const NOTIFY_INTERVAL_MS = 5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long readAll waits for running transactions that hold committed events back. */
const READ_ALL_HELD_WAIT_MS = 5000;

function eventColumns(alias: string): string {
  return ['transaction_id::text as tx', 'global_position::text as pos', 'stream_name', 'revision::text as revision',
    'event_id', 'type', 'data', 'metadata', 'recorded_at'].map((column) => `${alias}.${column}`).join(', ');
}

/**
 * The PostgreSQL adapter. Appends are one round trip to `es_append`; readers of the global log
 * read only below the oldest running transaction, so a late committer is never skipped.
 * A LISTEN connection wakes subscriptions; they also poll, in case a notification is lost: one
 * poll clock for the store wakes them all together, so an idle process reads the log once per
 * poll interval (through the shared tail), not once per subscription.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly signal = new AppendSignal();
  private readonly pollIntervalMs: number;
  private listener: Client | null = null;
  private listening: Promise<void> | null = null;
  private notifyScheduled = false;
  private lastNotifyAt = 0;
  /** Runs while the store has subscriptions: each tick wakes them all, as a notification would. */
  private pollClock: NodeJS.Timeout | null = null;
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly appends: AppendQueue;
  private closed = false;
  /** The newest events, read once for all subscriptions at the live edge. */
  private readonly tail = new LogTail((from, maxCount, filter) => this.readPage(from, maxCount, filter), { appendVersion: () => this.signal.version });
  /** What its subscriptions read through. */
  private readonly log: LogReader = {
    readPage: (from, maxCount, filter, live, freshAsOf) => this.tail.readPage(from, maxCount, filter, live, freshAsOf),
    headPosition: () => this.headPosition(),
    appendVersion: () => this.signal.version,
    nextAppend: (seenVersion, timeoutMs) => this.signal.next(seenVersion, timeoutMs),
    wake: () => this.signal.notify(),
  };

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 20 });
    this.pool.on('error', () => {
      // An idle connection died (for example the server restarted); the pool replaces it.
    });
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.appends = new AppendQueue({
      concurrency: Math.max(1, options.appendConcurrency ?? 2),
      maxGroupSize: 64,
      maxGroupEvents: 1000,
      appendOne: (request) => this.appendOne(request),
      appendGroup: (requests) => this.appendGroup(requests),
    });
  }

  async appendToStream(
    streamName: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const expected = options.expectedRevision ?? 'any';
    const ids: string[] = new Array(events.length);
    const types: string[] = new Array(events.length);
    const data: string[] = new Array(events.length);
    const metadata: string[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      ids[i] = event.id;
      types[i] = event.type;
      data[i] = JSON.stringify(event.data ?? null);
      metadata[i] = JSON.stringify(event.metadata ?? {});
      assertStorable(streamName, event, data[i], metadata[i]);
    }
    let row: AppendRow;
    try {
      row = await this.appends.append({
        streamName,
        expected: typeof expected === 'bigint' ? expected.toString() : expected,
        ids,
        types,
        data,
        metadata,
      });
    } catch (error) {
      throw this.translateAppendError(error, streamName, ids[0]);
    }
    if (row.status === 'wrong_expected_version') {
      throw new WrongExpectedVersionError(streamName, expected, row.revision === null ? 'no_stream' : BigInt(row.revision));
    }
    if (row.status === 'ok') this.announceAppend();
    return { nextExpectedRevision: BigInt(row.revision!), position: encodePosition(BigInt(row.tx!), BigInt(row.pos!)) };
  }

  private async appendOne(request: AppendRequest): Promise<AppendRow> {
    const result = await this.pool.query<AppendRow>({
      name: 'es_append',
      text: APPEND_SQL,
      values: [request.streamName, request.expected, request.ids, request.types, request.data, request.metadata],
    });
    return result.rows[0];
  }

  private async appendGroup(requests: AppendRequest[]): Promise<AppendRow[]> {
    const result = await this.pool.query<AppendRow>({
      name: 'es_append_many',
      text: APPEND_MANY_SQL,
      values: [
        requests.map((request) => request.streamName),
        requests.map((request) => request.expected),
        requests.map((request) => request.ids.length),
        requests.flatMap((request) => request.ids),
        requests.flatMap((request) => request.types),
        requests.flatMap((request) => request.data),
        requests.flatMap((request) => request.metadata),
      ],
    });
    return result.rows;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    const limit = options.maxCount ?? null;
    const values: unknown[] = [streamName, limit];
    let bound = '';
    if (typeof from === 'bigint') {
      values.push(from.toString());
      bound = backwards ? 'and revision <= $3' : 'and revision >= $3';
    } else if ((from === 'end' && !backwards) || (from === 'start' && backwards)) {
      // Reading forwards from the end, or backwards from the start, reads at most the one event there.
      bound = from === 'end' ? 'and revision = (select revision from es_streams where stream_name = $1)' : 'and revision = 0';
    }
    const result = await this.pool.query<EventRow>(
      `select ${eventColumns('e')} from es_events e where stream_name = $1 ${bound}
       order by e.revision ${backwards ? 'desc' : 'asc'} limit $2`,
      values,
    );
    return result.rows.map(toRecordedEvent);
  }

  async readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    if (reads.length === 0) return [];
    const result = await this.pool.query<EventRow & { nth: string }>(
      `select r.nth::text as nth, ${eventColumns('e')}
         from unnest($1::text[], $2::bigint[], $3::int[]) with ordinality as r(stream_name, from_revision, max_count, nth)
         cross join lateral (
           select * from es_events e where e.stream_name = r.stream_name and e.revision >= r.from_revision
            order by e.revision limit r.max_count) e
        order by r.nth, e.revision`,
      [reads.map((read) => read.streamName), reads.map((read) => (typeof read.fromRevision === 'bigint' ? read.fromRevision.toString() : '0')), reads.map((read) => read.maxCount)],
    );
    const answers: RecordedEvent[][] = reads.map(() => []);
    for (const row of result.rows) answers[Number(row.nth) - 1].push(toRecordedEvent(row));
    return answers;
  }

  /**
   * A page of the global log. Events committed behind a transaction that is still running are not
   * returned before it ends (returning them would let a caller page past that transaction's own
   * events), so a short page waits a moment for such a transaction: a caller that reads right
   * after its own append sees it. Past READ_ALL_HELD_WAIT_MS it answers with what is safe to read.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? 1000;
    const deadline = Date.now() + READ_ALL_HELD_WAIT_MS;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      const page = await this.readPage(options.fromPosition ?? 'start', maxCount, options.filter);
      if (page.events.length === maxCount || !page.held || Date.now() >= deadline) return page.events;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /**
   * One page of the global log after `from`, below the oldest running transaction; also says how
   * far the log was scanned (`scannedTo`, which moves past filtered-out events) and whether
   * committed events are waiting behind a transaction that is still running (`held`).
   */
  private async readPage(from: Position | 'start', maxCount: number, filter?: EventFilter): Promise<LogPage> {
    const start = from === 'start' ? { major: 0n, minor: 0n } : decodePosition(from);
    const values: unknown[] = [start.major.toString(), start.minor.toString(), maxCount];
    const conditions: string[] = [];
    if (filter?.eventTypes) {
      values.push(filter.eventTypes);
      conditions.push(`and e.type = any($${values.length}::text[])`);
    }
    if (filter?.streamNamePrefixes) {
      values.push(filter.streamNamePrefixes);
      conditions.push(`and exists (select 1 from unnest($${values.length}::text[]) p where starts_with(e.stream_name, p))`);
    }
    const result = await this.pool.query<EventRow & { head_tx: string | null; head_pos: string | null; held: boolean }>(
      `with h as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
            head as materialized (
              select l.transaction_id, l.global_position from es_events l, h
               where l.transaction_id < h.xmin
               order by l.transaction_id desc, l.global_position desc limit 1),
            -- The newest committed event, by one step down the log-order index. Held back is whatever
            -- sits at or above xmin; asked as "exists ... >= xmin", the planner scans the whole table.
            latest as materialized (
              select l.transaction_id from es_events l order by l.transaction_id desc, l.global_position desc limit 1)
       select page.*,
              (select transaction_id::text from head) as head_tx,
              (select global_position::text from head) as head_pos,
              coalesce((select latest.transaction_id >= h.xmin from latest), false) as held
         from h left join lateral (
           select ${eventColumns('e')}
             from es_events e
            where (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
              and e.transaction_id < h.xmin
              ${conditions.join(' ')}
            order by e.transaction_id, e.global_position
            limit $3
         ) page on true`,
      values,
    );
    const rows = result.rows;
    const first = rows[0];
    const events = first && first.event_id !== null ? rows.map(toRecordedEvent) : [];
    let scannedTo: Position | null = from === 'start' ? null : from;
    if (events.length === maxCount) {
      scannedTo = events[events.length - 1].position;
    } else if (first?.head_tx) {
      const head = encodePosition(BigInt(first.head_tx), BigInt(first.head_pos!));
      if (scannedTo === null || head > scannedTo) scannedTo = head;
    }
    return { events, scannedTo, held: first?.held ?? false };
  }

  /**
   * Newest first, by one step down a log-order index: es_events_log_order, or with event types
   * es_events_type_log_order once per type (merged here), each bounded by `before` as a row
   * comparison over the whole index key so the scan starts at it rather than at the head.
   */
  async readAllBackwards(options: ReadAllBackwardsOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? 1000;
    const before = options.before === undefined || options.before === 'end' ? null : decodePosition(options.before);
    const values: unknown[] = [maxCount];
    let prefixes = '';
    if (options.filter?.streamNamePrefixes) {
      values.push(options.filter.streamNamePrefixes);
      prefixes = `and exists (select 1 from unnest($${values.length}::text[]) p where starts_with(e.stream_name, p))`;
    }
    let bound = '';
    if (before) {
      // A position's second part can be above bigint's range (a position no log reaches): compare as its largest value.
      values.push(before.major.toString(), (before.minor > MAX_BIGINT ? MAX_BIGINT : before.minor).toString());
      bound = `$${values.length - 1}::text::xid8, $${values.length}::bigint`;
    }
    let sql: string;
    if (options.filter?.eventTypes) {
      values.push(options.filter.eventTypes);
      sql = `select ${eventColumns('page')} from unnest($${values.length}::text[]) t(type)
               cross join lateral (
                 select e.* from es_events e
                  where e.type >= t.type and ${bound ? `(e.type, e.transaction_id, e.global_position) < (t.type, ${bound})` : 'e.type <= t.type'} ${prefixes}
                  order by e.type desc, e.transaction_id desc, e.global_position desc limit $1) page
              order by page.transaction_id desc, page.global_position desc limit $1`;
    } else {
      sql = `select ${eventColumns('e')} from es_events e
              where ${bound ? `(e.transaction_id, e.global_position) < (${bound})` : 'true'} ${prefixes}
              order by e.transaction_id desc, e.global_position desc limit $1`;
    }
    const result = await this.pool.query<EventRow>(sql, values);
    return result.rows.map(toRecordedEvent);
  }

  async readEvent(eventId: string): Promise<RecordedEvent | null> {
    if (!UUID.test(eventId)) return null;
    const result = await this.pool.query<EventRow>(`select ${eventColumns('e')} from es_events e where e.event_id = $1::text::uuid`, [eventId]);
    return result.rows[0] ? toRecordedEvent(result.rows[0]) : null;
  }

  /** From es_events_causation (migration 011), an index of the causation ids events carry. */
  async readCausedBy(cause: Pick<RecordedEvent, 'id' | 'position'>, maxCount = 500): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>(
      // Materialized: otherwise a generic plan walks the log-order index for the order and limit.
      `with caused as materialized (select * from es_events e where e.metadata->>'causationId' = $1)
       select ${eventColumns('e')} from caused e order by e.transaction_id, e.global_position limit $2`,
      [cause.id, maxCount],
    );
    return result.rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const subscription = new PostgresSubscription(this.log, {
      from: options.fromPosition ?? 'start',
      filter: options.filter,
      maxBatchSize: options.maxBatchSize ?? 1000,
      // The poll clock wakes it first; its own timeout is only a fallback, and at twice the
      // interval never ends before the tick that would wake it (timers due together run in order).
      waitTimeoutMs: 2 * this.pollIntervalMs,
      onStop: () => {
        this.subscriptions.delete(subscription);
        if (this.subscriptions.size === 0) this.stopPollClock();
      },
    });
    this.subscriptions.add(subscription);
    this.startPollClock();
    void this.listen();
    return subscription;
  }

  /**
   * A tick is a poll for every subscription at once: it counts as an append heard of, so the
   * subscriptions it wakes are all answered by one read of the log that starts after it (see
   * LogTail), which finds whatever was committed without its notification reaching this process.
   */
  private startPollClock(): void {
    if (this.pollClock || this.closed) return;
    this.pollClock = setInterval(() => this.signal.notify(), this.pollIntervalMs);
    // The subscriptions' own timeouts keep the process up while they wait, as they always did.
    this.pollClock.unref();
  }

  private stopPollClock(): void {
    if (this.pollClock) clearInterval(this.pollClock);
    this.pollClock = null;
  }

  async headPosition(filter?: EventFilter): Promise<Position | null> {
    const values: unknown[] = [];
    let prefixes = '';
    if (filter?.streamNamePrefixes) {
      values.push(filter.streamNamePrefixes);
      prefixes = `and exists (select 1 from unnest($${values.length}::text[]) p where starts_with(e.stream_name, p))`;
    }
    let sql = `select transaction_id::text as tx, global_position::text as pos from es_events e where true ${prefixes}
                order by transaction_id desc, global_position desc limit 1`;
    if (filter?.eventTypes) {
      // The last event of each type, each one step down es_events_type_log_order, then the latest of those.
      // The type is matched as a range and ordered on: asked as "type = t.type", the planner walks
      // the log-order index backwards past every event of other types instead (94 ms at 100k events).
      values.push(filter.eventTypes);
      sql = `select last.tx, last.pos from unnest($${values.length}::text[]) t(type)
               cross join lateral (
                 select e.transaction_id, e.transaction_id::text as tx, e.global_position, e.global_position::text as pos
                   from es_events e where e.type >= t.type and e.type <= t.type ${prefixes}
                  order by e.type desc, e.transaction_id desc, e.global_position desc limit 1) last
              order by last.transaction_id desc, last.global_position desc limit 1`;
    }
    const result = await this.pool.query<{ tx: string; pos: string }>(sql, values);
    const row = result.rows[0];
    return row ? encodePosition(BigInt(row.tx), BigInt(row.pos)) : null;
  }

  async ping(): Promise<void> {
    try {
      await this.pool.query('select 1 from es_streams limit 1');
    } catch (error) {
      throw new EventStoreUnavailableError(`PostgreSQL event store unreachable: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPollClock();
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.signal.notify();
    const listener = this.listener;
    this.listener = null;
    if (listener) await listener.end().catch(() => undefined);
    await this.pool.end();
  }

  /**
   * Wakes this process's subscriptions now, and other processes' through a NOTIFY: one for a burst
   * of appends, and under a steady stream of them at most one per NOTIFY_INTERVAL_MS (a round trip
   * each; the subscriptions it wakes read everything appended since anyway).
   */
  private announceAppend(): void {
    this.signal.notify();
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const wait = Math.max(0, this.lastNotifyAt + NOTIFY_INTERVAL_MS - Date.now());
    const send = () => {
      this.notifyScheduled = false;
      if (this.closed) return;
      this.lastNotifyAt = Date.now();
      this.pool.query(`select pg_notify('${APPEND_CHANNEL}', '')`).catch(() => undefined);
    };
    if (wait === 0) setImmediate(send);
    else setTimeout(send, wait);
  }

  /** One LISTEN connection per store, shared by its subscriptions; reconnects when it drops. */
  private listen(): Promise<void> {
    if (this.listening || this.closed) return this.listening ?? Promise.resolve();
    this.listening = (async () => {
      const client = new Client({ connectionString: this.options.connectionString });
      client.on('notification', () => this.signal.notify());
      client.on('error', () => undefined);
      client.on('end', () => {
        if (this.listener !== client) return;
        this.listener = null;
        this.listening = null;
        if (!this.closed && this.subscriptions.size > 0) setTimeout(() => void this.listen(), this.pollIntervalMs);
      });
      try {
        await client.connect();
        await client.query(`listen ${APPEND_CHANNEL}`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.listener = client;
      } catch {
        // Polling covers the gap; try again on the next poll tick.
        await client.end().catch(() => undefined);
        this.listening = null;
        if (!this.closed) setTimeout(() => void this.listen(), this.pollIntervalMs);
      }
    })();
    return this.listening;
  }

  private translateAppendError(error: unknown, streamName: string, eventId: string): Error {
    const code = (error as { code?: string }).code;
    if (code === 'P0E01' || (code === '23505' && (error as { constraint?: string }).constraint === 'es_events_event_id')) {
      return new DuplicateEventIdError(streamName, eventId);
    }
    return error as Error;
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamName: row.stream_name,
    revision: BigInt(row.revision),
    position: encodePosition(BigInt(row.tx), BigInt(row.pos)),
    recordedAt: row.recorded_at,
  };
}


import {
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendResult as ClientAppendResult,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  type ReadPosition,
  START,
} from '@eventstore/db-client';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  Position,
  ReadAllBackwardsOptions,
  ReadAllOptions,
  ReadStreamOptions,
  StreamRead,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store';
import { type ActualRevision, EventStoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { assertStorable } from '../storable';
import { describeError, isStreamNotFound, redactConnectionString, translateAppendError, translateError } from './client-errors';
import { fromClientEvent, toClientEvent } from './events';
import { EventStoreDbSubscription, type LogReader } from './eventstoredb-subscription';
import { eventMatcher, isSystemEvent, subscriptionFilter } from './filters';
import { fromClientPosition, toClientPosition } from './positions';
import { toClientReadStreamOptions } from './reads';
import { toClientExpectedRevision } from './revisions';

export interface EventStoreDbEventStoreOptions {
  /** `esdb://host:2113?tls=false`, `esdb+discover://...`: the client's connection string. */
  connectionString: string;
  /** How long `ping` waits for the server before it reports it unreachable. */
  pingTimeoutMs?: number;
}

/** The part of the client the adapter uses, so that tests can stand in for a server. */
export type EventStoreDbClientApi = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

/**
 * Events read from `$all` per request while looking for matches (this client has no filtered
 * reads): as many as are still wanted, within these bounds, so that a selective filter does not
 * cost a round trip per event and a small page does not fetch a thousand.
 */
const SCAN_PAGE = { min: 100, max: 1000 };

/** Events read per request while walking back from the head past the server's own events. */
const HEAD_PAGE = 100;

/**
 * The EventStoreDB / KurrentDB adapter. Appends, stream reads and optimistic concurrency map
 * one to one onto the client. Reads of `$all` page through the log and filter here, because
 * this client's `readAll` takes no filter; subscriptions catch up that way and then follow a
 * server-filtered live subscription (see EventStoreDbSubscription).
 */
export class EventStoreDbEventStore implements EventStore, LogReader {
  private readonly client: EventStoreDbClientApi;
  private readonly target: string;
  private readonly pingTimeoutMs: number;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  constructor(options: EventStoreDbEventStoreOptions, client?: EventStoreDbClientApi) {
    this.target = redactConnectionString(options.connectionString);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5_000;
    this.client = client ?? connect(options.connectionString);
  }

  async appendToStream(streamName: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const expected = options.expectedRevision ?? 'any';
    for (const event of events) assertStorable(streamName, event, JSON.stringify(event.data ?? null), JSON.stringify(event.metadata ?? {}));
    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(streamName, events.map(toClientEvent), {
        expectedRevision: toClientExpectedRevision(expected),
      });
    } catch (error) {
      throw translateAppendError(error, streamName, expected);
    }
    if (!result.success) throw await this.conflict(streamName, expected);
    return { nextExpectedRevision: result.nextExpectedRevision, position: await this.appendedPosition(streamName, result) };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    try {
      const resolved = await collect(this.client.readStream(streamName, toClientReadStreamOptions(options)));
      return resolved.flatMap((r) => (r.event ? [fromClientEvent(r.event)] : []));
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw translateError(error);
    }
  }

  /** EventStoreDB has no read of several streams in one call: they are read concurrently. */
  readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    return Promise.all(reads.map(({ streamName, fromRevision, maxCount }) => this.readStream(streamName, { fromRevision: fromRevision ?? 'start', maxCount })));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return (await this.readPage(options.fromPosition ?? 'start', options.maxCount ?? 1000, options.filter)).events;
  }

  /**
   * Up to `maxCount` matching events after `from` (exclusive), and how far the log was read:
   * the last event looked at, which moves past events the filter left out.
   */
  async readPage(from: Position | 'start', maxCount: number, filter?: EventFilter): Promise<{ events: RecordedEvent[]; scannedTo: Position | null }> {
    const accept = eventMatcher(filter);
    const events: RecordedEvent[] = [];
    let scannedTo = from === 'start' ? null : from;
    while (events.length < maxCount) {
      const wanted = Math.min(SCAN_PAGE.max, Math.max(maxCount - events.length, SCAN_PAGE.min));
      const page = await this.readAllForwards(scannedTo ?? 'start', wanted);
      for (const event of page.events) {
        scannedTo = fromClientPosition(event.position);
        if (!accept(event.type, event.streamId)) continue;
        events.push(fromClientEvent(event));
        if (events.length === maxCount) break;
      }
      if (page.atEnd) break;
    }
    return { events, scannedTo };
  }

  /** `$all` read backwards in pages, filtered here as readAll is. */
  async readAllBackwards(options: ReadAllBackwardsOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? 1000;
    const accept = eventMatcher(options.filter);
    const events: RecordedEvent[] = [];
    let from: ReadPosition = options.before === undefined || options.before === 'end' ? END : toClientPosition(options.before);
    const before = options.before === undefined || options.before === 'end' ? null : options.before;
    while (events.length < maxCount) {
      const wanted = Math.min(SCAN_PAGE.max, Math.max(maxCount - events.length, SCAN_PAGE.min));
      const page = await this.readAllRecords({ direction: BACKWARDS, fromPosition: from, maxCount: wanted });
      for (const event of page) {
        // A backward read excludes its start position; the check keeps that true whatever the server.
        if (before !== null && fromClientPosition(event.position) >= before) continue;
        if (!accept(event.type, event.streamId)) continue;
        events.push(fromClientEvent(event));
        if (events.length === maxCount) break;
      }
      if (page.length < wanted) break;
      from = page[page.length - 1].position;
    }
    return events;
  }

  /** EventStoreDB has no index of event ids: `$all` is scanned backwards from the head until the event is found. */
  async readEvent(eventId: string): Promise<RecordedEvent | null> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllRecords({ direction: BACKWARDS, fromPosition: from, maxCount: SCAN_PAGE.max });
      const found = page.find((event) => event.id === eventId && !isSystemEvent(event.type, event.streamId));
      if (found) return fromClientEvent(found);
      if (page.length < SCAN_PAGE.max) return null;
      from = page[page.length - 1].position;
    }
  }

  /**
   * EventStoreDB has no index of causation ids (its `$by_correlation_id` projection follows
   * `$correlationId`, which our metadata does not use): the log after the event is scanned for
   * events that name it, as readAll scans, to the head or until `maxCount` are found.
   */
  async readCausedBy(cause: Pick<RecordedEvent, 'id' | 'position'>, maxCount = 500): Promise<RecordedEvent[]> {
    const caused: RecordedEvent[] = [];
    let from: Position = cause.position;
    for (;;) {
      const page = await this.readAllForwards(from, SCAN_PAGE.max);
      for (const event of page.events) {
        from = fromClientPosition(event.position);
        if (isSystemEvent(event.type, event.streamId)) continue;
        const recorded = fromClientEvent(event);
        if (recorded.metadata.causationId !== cause.id) continue;
        caused.push(recorded);
        if (caused.length === maxCount) return caused;
      }
      if (page.atEnd) return caused;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const subscription = new EventStoreDbSubscription(this, {
      from: options.fromPosition ?? 'start',
      filter: options.filter,
      maxBatchSize: options.maxBatchSize ?? 1000,
      onStop: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  subscribeLive(from: Position | 'start', filter?: EventFilter): AllStreamSubscription {
    return this.client.subscribeToAll({
      fromPosition: from === 'start' ? START : toClientPosition(from),
      filter: subscriptionFilter(filter),
      resolveLinkTos: false,
    });
  }

  /** The last event in `$all` that is not one of the server's own. */
  /** The head, filter or not: EventStoreDB reads backwards without filters, and the head is a correct answer for any filter. */
  async headPosition(): Promise<Position | null> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllRecords({ direction: BACKWARDS, fromPosition: from, maxCount: HEAD_PAGE });
      const latest = page.find((event) => !isSystemEvent(event.type, event.streamId));
      if (latest) return fromClientPosition(latest.position);
      if (page.length < HEAD_PAGE) return null;
      from = page[page.length - 1].position;
    }
  }

  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    const timer = setTimeout(() => {
      void read.cancel();
      read.destroy(new Error(`no answer within ${this.pingTimeoutMs} ms`));
    }, this.pingTimeoutMs);
    try {
      await collect(read);
    } catch (error) {
      throw new EventStoreUnavailableError(`Cannot read from EventStoreDB at ${this.target}: ${describeError(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  /**
   * One page of `$all` after `from`. A forward read of `$all` includes the event at its start
   * position, so the page asks for one more and drops everything not past `from`.
   */
  private async readAllForwards(from: Position | 'start', maxCount: number) {
    const requested = from === 'start' ? maxCount : maxCount + 1;
    const records = await this.readAllRecords({
      direction: FORWARDS,
      fromPosition: from === 'start' ? START : toClientPosition(from),
      maxCount: requested,
    });
    const events = from === 'start' ? records : records.filter((event) => fromClientPosition(event.position) > from);
    return { events, atEnd: records.length < requested };
  }

  private async readAllRecords(options: { direction: typeof FORWARDS | typeof BACKWARDS; fromPosition: ReadPosition; maxCount: number }) {
    try {
      const resolved: AllStreamResolvedEvent[] = await collect(this.client.readAll({ ...options, resolveLinkTos: false }));
      return resolved.flatMap((r) => (r.event ? [r.event] : []));
    } catch (error) {
      throw translateError(error);
    }
  }

  /**
   * The server reports the position of the last event written, or of the original write when
   * the append repeated it; older servers report none for such a repeat, so it is read back.
   */
  private async appendedPosition(streamName: string, result: ClientAppendResult): Promise<Position> {
    if (result.position) return fromClientPosition(result.position);
    const [last] = await this.readStream(streamName, { fromRevision: result.nextExpectedRevision, maxCount: 1 });
    if (!last) throw new Error(`Event ${result.nextExpectedRevision} of stream "${streamName}" was appended but cannot be read back`);
    return last.position;
  }

  /** For a client configured with throwOnAppendFailure=false, which reports a conflict without its details. */
  private async conflict(streamName: string, expected: ExpectedRevision): Promise<WrongExpectedVersionError> {
    const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    const actual: ActualRevision = last ? last.revision : 'no_stream';
    return new WrongExpectedVersionError(streamName, expected, actual);
  }
}

/** The client for a connection string, or one clear line saying what is wrong with it. */
function connect(connectionString: string): EventStoreDBClient {
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch (error) {
    throw new EventStoreUnavailableError(`Invalid EventStoreDB connection string: ${describeError(error)}`);
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

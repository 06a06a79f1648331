import { Readable } from 'node:stream';
import {
  type AllStreamJSONRecordedEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type Filter,
  type JSONEventData,
  type Position,
  type ReadPosition,
  type ReadRevision,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { EventStoreDbClientApi } from '../eventstoredb-event-store';

/**
 * An in-memory stand-in for an EventStoreDB server, for unit tests of the adapter. It behaves as
 * the client documents and the server's source shows in what the adapter relies on: `$all` holds system events too, positions are
 * `commit === prepare`, forward reads of `$all` include their start position and backward ones
 * exclude it, a missing stream is a StreamNotFoundError, conflicts are WrongExpectedVersionError,
 * re-appending the same ids at the same expected revision is idempotent, and subscriptions start
 * after their position and then go live.
 */
export class FakeEventStoreDb {
  readonly log: AllStreamJSONRecordedEvent[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  /** Set to make every call fail the way an unreachable server does. */
  unreachable: Error | null = null;
  /** Set to make reads of `$all` never answer. */
  silent = false;
  /** Set to report appends without a position, as older servers do for idempotent ones. */
  omitAppendPositions = false;
  /** Set to make subscriptions also send the event at their start position again, as an overlapping resubscription would. */
  subscriptionsRepeatStart = false;
  /** Set to answer conflicts with `success: false` and no details, as the client does with throwOnAppendFailure=false. */
  reportConflictsAsResults = false;
  private nextPosition = 1000n;

  /** The object the adapter is given in place of the real client. */
  get client(): EventStoreDbClientApi {
    return this as unknown as EventStoreDbClientApi;
  }

  /** Writes a record as the server itself would (`$`-typed events, `$`-named streams). */
  writeSystemEvent(streamId = '$stats-127.0.0.1:2113', type = '$statsCollected'): void {
    this.write(streamId, [{ id: crypto.randomUUID(), contentType: 'application/json', type, data: {}, metadata: undefined }]);
  }

  async appendToStream(streamName: string, events: JSONEventData[], options: { expectedRevision: AppendExpectedRevision }): Promise<AppendResult> {
    this.failIfUnreachable();
    const stream = this.stream(streamName);
    const current = stream.length === 0 ? -1n : stream[stream.length - 1].revision;
    const expected = options.expectedRevision;
    const idempotent = this.idempotentResult(stream, events, expected, current);
    if (idempotent) return idempotent;
    const conflict =
      (expected === 'no_stream' && current !== -1n) ||
      (expected === 'stream_exists' && current === -1n) ||
      (typeof expected === 'bigint' && expected !== current);
    if (conflict && this.reportConflictsAsResults) return { success: false, nextExpectedRevision: -1n, position: undefined };
    if (conflict) {
      throw new WrongExpectedVersionError(undefined, { streamName, expected, current: current === -1n ? 'no_stream' : current });
    }
    const written = this.write(streamName, events);
    const last = written[written.length - 1];
    return { success: true, nextExpectedRevision: last.revision, position: this.omitAppendPositions ? undefined : last.position };
  }

  readStream(streamName: string, options: { direction?: string; fromRevision?: ReadRevision; maxCount?: number | bigint } = {}) {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    const stream = this.stream(streamName);
    const selected = backwards
      ? stream.filter((e) => from === 'end' || (from !== 'start' && e.revision <= from) || (from === 'start' && e.revision === 0n)).reverse()
      : stream.filter((e) => from === 'start' || (from !== 'end' && e.revision >= from));
    const source = async function* (fake: FakeEventStoreDb) {
      fake.failIfUnreachable();
      if (stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
      yield* selected.slice(0, Number(options.maxCount ?? selected.length)).map((event) => ({ event }));
    };
    return readable(source(this));
  }

  readAll(options: { direction?: string; fromPosition?: ReadPosition; maxCount?: number | bigint } = {}) {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? 'start';
    const selected = backwards
      ? this.log.filter((e) => from === 'end' || (from !== 'start' && compare(e.position, from) < 0)).reverse()
      : this.log.filter((e) => from === 'start' || (from !== 'end' && compare(e.position, from) >= 0));
    if (this.silent) return Object.assign(new Readable({ objectMode: true, read: () => undefined }), { cancel: async () => undefined });
    const source = async function* (fake: FakeEventStoreDb): AsyncGenerator<AllStreamResolvedEvent> {
      fake.failIfUnreachable();
      yield* selected.slice(0, Number(options.maxCount ?? selected.length)).map((event) => ({ event }));
    };
    return readable(source(this));
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter }): FakeSubscription {
    const subscription = new FakeSubscription(options.fromPosition ?? 'start', options.filter);
    this.subscriptions.push(subscription);
    if (this.unreachable) {
      const error = this.unreachable;
      setImmediate(() => subscription.emit('error', error));
    } else {
      for (const event of this.log) if (this.isPast(event, options.fromPosition ?? 'start')) subscription.deliver(event);
    }
    return subscription;
  }

  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions) await subscription.unsubscribe();
  }

  private idempotentResult(stream: AllStreamJSONRecordedEvent[], events: JSONEventData[], expected: AppendExpectedRevision, current: bigint): AppendResult | null {
    const start = idempotencyStart(stream, events, expected, current);
    if (start === null) return null;
    const stored = stream.slice(start, start + events.length);
    if (stored.length !== events.length || stored.some((e, i) => e.id !== events[i].id)) return null;
    const last = stored[stored.length - 1];
    return { success: true, nextExpectedRevision: last.revision, position: this.omitAppendPositions ? undefined : last.position };
  }

  private write(streamId: string, events: JSONEventData[]): AllStreamJSONRecordedEvent[] {
    const stream = this.stream(streamId);
    let revision = stream.length === 0 ? -1n : stream[stream.length - 1].revision;
    const written = events.map((event): AllStreamJSONRecordedEvent => {
      this.nextPosition += 137n;
      revision += 1n;
      return {
        streamId,
        id: event.id,
        isJson: true,
        revision,
        type: event.type,
        created: new Date(),
        data: JSON.parse(JSON.stringify(event.data)),
        metadata: event.metadata === undefined ? undefined : JSON.parse(JSON.stringify(event.metadata)),
        position: { commit: this.nextPosition, prepare: this.nextPosition },
      } as AllStreamJSONRecordedEvent;
    });
    this.log.push(...written);
    for (const subscription of this.subscriptions) for (const event of written) subscription.deliver(event);
    return written;
  }

  /** Whether a subscription from `from` sends this stored event before going live. */
  private isPast(event: AllStreamJSONRecordedEvent, from: ReadPosition): boolean {
    if (from === 'start') return true;
    if (from === 'end') return false;
    const order = compare(event.position, from);
    return order > 0 || (order === 0 && this.subscriptionsRepeatStart);
  }

  private stream(streamId: string): AllStreamJSONRecordedEvent[] {
    return this.log.filter((e) => e.streamId === streamId);
  }

  private failIfUnreachable(): void {
    if (this.unreachable) throw this.unreachable;
  }
}

/** A live subscription: delivers what matches its server-side filter until unsubscribed. */
export class FakeSubscription extends Readable {
  unsubscribed = false;

  constructor(
    readonly fromPosition: ReadPosition,
    readonly serverFilter: Filter | undefined,
  ) {
    super({ objectMode: true, read: () => undefined });
  }

  deliver(event: AllStreamJSONRecordedEvent): void {
    if (!this.unsubscribed && this.matches(event)) this.push({ event });
  }

  /** The server drops the subscription. */
  fail(error: Error): void {
    this.emit('error', error);
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }

  private matches(event: AllStreamJSONRecordedEvent): boolean {
    const filter = this.serverFilter;
    if (!filter) return true;
    const subject = filter.filterOn === 'streamName' ? event.streamId : event.type;
    return 'prefixes' in filter ? filter.prefixes.some((p) => subject.startsWith(p)) : new RegExp(filter.regex).test(subject);
  }
}

/**
 * Where the same events would already be stored, if this append repeats an earlier one: the
 * server looks them up by id for `any` and `stream_exists`, and right after the expected revision
 * for `no_stream` and a revision the stream has moved past.
 */
function idempotencyStart(stream: AllStreamJSONRecordedEvent[], events: JSONEventData[], expected: AppendExpectedRevision, current: bigint): number | null {
  if (expected === 'any' || expected === 'stream_exists') {
    const index = stream.findIndex((e) => e.id === events[0].id);
    return index < 0 ? null : index;
  }
  const after = expected === 'no_stream' ? -1n : expected;
  return after < current ? Number(after + 1n) : null;
}

function compare(a: Position, b: Position): number {
  return a.commit === b.commit ? Number(a.prepare - b.prepare) : Number(a.commit - b.commit);
}

function readable<T>(source: AsyncGenerator<T>): Readable & { cancel(): Promise<void> } {
  return Object.assign(Readable.from(source), { cancel: async () => undefined });
}

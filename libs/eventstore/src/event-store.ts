/**
 * The event store port. Both adapters (PostgreSQL and EventStoreDB/KurrentDB) implement it with
 * EventStoreDB's semantics, and the contract suite in test/ holds them to it.
 */

/** Metadata that flows from the request into every event it writes. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  userId?: string;
  traceKey?: string;
  /** Schema version of `data`; upcasters turn older versions into the current one on read. */
  schemaVersion?: number;
  [key: string]: unknown;
}

/** An event to append. `type` is a stable string, never a class name. */
export interface EventData<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
}

/** An event as stored: what was appended plus where and when it landed. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  streamName: string;
  revision: bigint;
  /** Opaque, totally ordered; compares in log order as a plain string. */
  position: Position;
  recordedAt: Date;
}

/** A position in the global log, serialised so that string order is log order. */
export type Position = string;

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event in the stream after the append. */
  nextExpectedRevision: bigint;
  /** Position of the last event written (or of the original write, for an idempotent re-append). */
  position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint | 'start' | 'end';
  direction?: Direction;
  maxCount?: number;
}

export interface EventFilter {
  /** Only events whose type is one of these. */
  eventTypes?: readonly string[];
  /** Only events whose stream name starts with one of these. */
  streamNamePrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: the first event returned is the one after this position. */
  fromPosition?: Position | 'start';
  maxCount?: number;
  filter?: EventFilter;
}

export interface ReadAllBackwardsOptions {
  /** Exclusive: the first event returned is the one before this position. Defaults to the end of the log. */
  before?: Position | 'end';
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /** Exclusive start; `'start'` replays the whole log, `'end'` only what is appended from now on. */
  fromPosition?: Position | 'start' | 'end';
  filter?: EventFilter;
  /** Largest number of events in one delivered batch. */
  maxBatchSize?: number;
}

/**
 * What a subscription delivers, in log order: batches of events, and `caughtUp` each time it
 * has delivered everything stored so far and goes idle. `caughtUp.position` is how far the log
 * has been read, past events the filter left out, so a checkpoint can move to it; it is only
 * said again once that position has moved.
 */
export type SubscriptionMessage =
  | { type: 'events'; events: readonly RecordedEvent[] }
  | { type: 'caughtUp'; position: Position | null };

export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  /** Ends the iteration; resolves once the subscription has released its resources. */
  stop(): Promise<void>;
}

/** One stream's forwards read, of several read at once. */
export interface StreamRead {
  streamName: string;
  /** Inclusive; defaults to the start. */
  fromRevision?: bigint | 'start';
  maxCount: number;
}

export interface EventStore {
  appendToStream(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Several streams read forwards at once, each as `readStream` would read it; the answers in the
   * order of `reads`. The PostgreSQL adapter reads them in one query (one round trip, whatever
   * their number); the EventStoreDB adapter reads them concurrently.
   */
  readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The log newest first, for people browsing it (not for read models: use readAll or a
   * subscription). Every committed event is returned, also those above a transaction still
   * running, so a page read right after an append shows it; paging on with the last position
   * returned as `before` neither repeats nor skips an event that was committed when the first
   * page was read.
   */
  readAllBackwards(options?: ReadAllBackwardsOptions): Promise<RecordedEvent[]>;
  /**
   * The event with this id, or null when the log has none. PostgreSQL answers from its index of
   * event ids; EventStoreDB has none, so that adapter scans the log backwards from the head.
   */
  readEvent(eventId: string): Promise<RecordedEvent | null>;
  /**
   * The events written in reaction to this one (whose `metadata.causationId` is its id), in log
   * order, at most `maxCount` (default 500). PostgreSQL answers from an index on the causation id;
   * EventStoreDB has none, so that adapter scans the log from the event's position to the head
   * (its cost grows with the events written since).
   */
  readCausedBy(cause: Pick<RecordedEvent, 'id' | 'position'>, maxCount?: number): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /**
   * Position of the last event in the log, or null when the log is empty. With a filter: a
   * position at or after the last event that matches it (null when none does) and not after the
   * head. The PostgreSQL adapter answers exactly; the EventStoreDB adapter answers with the head.
   * Either way, a read model built from those events has every one of them once it reaches it.
   */
  headPosition(filter?: EventFilter): Promise<Position | null>;
  /** Resolves when the store is reachable; rejects with a clear message when it is not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Injection token for the EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');

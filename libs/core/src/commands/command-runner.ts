import { randomUUID } from 'node:crypto';
import {
  type AppendResult,
  type EventData,
  type EventMetadata,
  type EventStore,
  type Position,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '@app/eventstore';
import { currentContext, noteWrites, type RequestContext } from '../context/request-context';
import type { Decider, DomainEvent } from '../domain/decider';
import { ConcurrencyConflictError, DomainError } from '../errors/domain-error';
import { EventSchemaRegistry } from '../events/event-schemas';
import { StateCache } from './state-cache';

const READ_PAGE = 1000;

export interface CommandResult<Event, State = unknown> {
  /** What the decider decided, now appended; empty when the command changed nothing. */
  events: Event[];
  /** The stream's state after the command: what a caller needs next, without loading it again. */
  state: State;
  /** The stream's revision after the command; null while the stream does not exist. */
  nextExpectedRevision: bigint | null;
  /**
   * Position of the stream's last event, for read-your-writes: the last one appended, or, when
   * the command changed nothing, the last one already there. Null only while the stream is empty.
   */
  position: Position | null;
}

export interface RunOptions {
  /** Extra metadata for every event written (merged over the request context). */
  metadata?: EventMetadata;
  /**
   * Ids for the events, in order; pass deterministic ids (for example derived from the event a
   * process manager reacts to) to make a redelivered reaction idempotent.
   */
  eventIds?: string[];
  /**
   * The stream cannot exist yet, because its name holds an id the handler has just drawn: the
   * first attempt decides on the initial state without reading it, and appends expecting no
   * stream. Should the stream exist after all, that append fails and the next attempt reads it.
   */
  newStream?: boolean;
  /**
   * Decide on the state this process last saw of the stream (its cache) without reading the tail,
   * and append expecting that revision: for a stream written mostly by this process. Should
   * another writer have moved it, the append fails on its revision and the next attempt reads.
   */
  fromCache?: boolean;
  /**
   * false: do not keep the state this command appended in the cache, for a stream written once and
   * seldom read again (a posting's): keeping thousands of them only pushes out the streams that are
   * read again, and costs the garbage collector. Default true.
   */
  cache?: boolean;
}

/** A stream `loadAll` reads, with the decider that folds it. */
export interface StreamToLoad<State> {
  decider: Decider<any, any, State>;
  streamName: string;
}

/** A stream's state as `load` gives it, with its revision and the position of its last event (null while it is empty). */
export type Loaded<State> = { state: State; revision: bigint | null; position: Position | null };

type StateOf<T> = T extends StreamToLoad<infer State> ? State : never;

/** One command waiting in a stream's group (`runGrouped`), with the request it came from. */
interface GroupedCommand {
  decider: Decider<any, DomainEvent, any>;
  command: unknown;
  options: RunOptions;
  context: RequestContext | undefined;
  resolve(result: CommandResult<DomainEvent>): void;
  reject(error: unknown): void;
}

/** The most commands one grouped decision takes; more wait for the next append. */
const MAX_GROUP = 256;

export interface CommandRunnerOptions {
  /** How many times a command is re-read and re-decided after losing a race for its stream. */
  maxAttempts?: number;
  /** How many folded streams are kept in memory, so a command reads only its stream's tail. */
  cacheSize?: number;
  /** Told the type and outcome of every command run, for metrics. */
  onOutcome?: (commandType: string, outcome: CommandOutcome) => void;
}

export type CommandOutcome = 'ok' | 'rejected' | 'conflict' | 'error';

/**
 * Runs a command against one stream: read, fold, decide, append at the revision read. On a
 * conflict it reads what it missed and decides again, a bounded number of times.
 *
 * Folded state is cached per stream with its revision; since streams only grow, the next command
 * reads only the events after that revision, so its cost does not grow with the stream's length.
 */
export class CommandRunner {
  private readonly maxAttempts: number;
  private readonly cache: StateCache;
  private readonly onOutcome: CommandRunnerOptions['onOutcome'];
  /** The last command queued on each stream with one in flight. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Per stream, the grouped commands gathering for the next decision (`runGrouped`). */
  private readonly gathering = new Map<string, GroupedCommand[]>();

  constructor(
    private readonly store: EventStore,
    private readonly schemas: EventSchemaRegistry = new EventSchemaRegistry(),
    options: CommandRunnerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.cache = new StateCache(options.cacheSize ?? 10_000);
    this.onOutcome = options.onOutcome;
  }

  async run<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamName: string,
    command: Command,
    options: RunOptions = {},
  ): Promise<CommandResult<Event, State>> {
    const type = (command as { type?: unknown }).type;
    try {
      const result = await this.oneAtATime(streamName, () => this.decideAndAppend(decider, streamName, command, options));
      // A redelivered reaction appends nothing, but what it found written still has to be read.
      noteWrites(result.position, result.events.map((event) => event.type));
      this.onOutcome?.(String(type ?? 'unknown'), 'ok');
      return result;
    } catch (error) {
      const outcome = error instanceof ConcurrencyConflictError ? 'conflict' : error instanceof DomainError ? 'rejected' : 'error';
      this.onOutcome?.(String(type ?? 'unknown'), outcome);
      throw error;
    }
  }

  /**
   * Like `run`, for a hot stream (one popular show's inventory): the commands that arrive while
   * the stream's previous append is in flight are decided together, one after another on the
   * state each leaves, and their events appended in one append at the revision read (group
   * commit). A command its decider refuses is refused alone (its error is its caller's) and the
   * others go on; should another process have moved the stream, the whole group is read again and
   * decided again, so the optimistic check across processes is the same as `run`'s. Each caller
   * gets its own events, the state after them, and the position of the group's append; each event
   * carries the metadata of the request that sent its command. A stream written with `runGrouped`
   * should be written only that way in a process, so every command on it shares one queue.
   */
  async runGrouped<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamName: string,
    command: Command,
    options: RunOptions = {},
  ): Promise<CommandResult<Event, State>> {
    const type = String((command as { type?: unknown }).type ?? 'unknown');
    try {
      const result = await new Promise<CommandResult<DomainEvent>>((resolve, reject) => {
        let group = this.gathering.get(streamName);
        const startsGroup = !group || group.length >= MAX_GROUP;
        if (startsGroup) {
          group = [];
          this.gathering.set(streamName, group);
        }
        group!.push({ decider, command, options, context: currentContext(), resolve, reject });
        if (startsGroup) {
          const mine = group!;
          void this.oneAtATime(streamName, () => {
            if (this.gathering.get(streamName) === mine) this.gathering.delete(streamName);
            return this.decideGroup(streamName, mine);
          });
        }
      });
      noteWrites(result.position, result.events.map((event) => event.type));
      this.onOutcome?.(type, 'ok');
      return result as CommandResult<Event, State>;
    } catch (error) {
      this.onOutcome?.(type, error instanceof ConcurrencyConflictError ? 'conflict' : error instanceof DomainError ? 'rejected' : 'error');
      throw error;
    }
  }

  /** Decides a group of commands on one stream and appends what they decided in one append; settles each. */
  private async decideGroup(streamName: string, group: GroupedCommand[]): Promise<void> {
    const decider = group[0].decider;
    try {
      for (let attempt = 1; ; attempt++) {
        const fromCache = attempt === 1 && group.every((item) => item.options.fromCache);
        const { state: initial, revision, position } = (fromCache ? this.cache.get<unknown>(decider, streamName) : undefined) ?? (await this.load(decider, streamName));
        let state = initial;
        const outcomes: ({ events: DomainEvent[]; state: unknown } | { error: unknown })[] = [];
        const data: EventData[] = [];
        for (const item of group) {
          try {
            const events = item.decider.decide(item.command, state);
            for (const event of events) state = item.decider.evolve(state, event);
            events.forEach((event, i) => data.push(this.eventData(event, item.options.eventIds?.[i], item.context, item.options)));
            outcomes.push({ events, state });
          } catch (error) {
            outcomes.push({ error });
          }
        }
        if (data.length === 0) {
          group.forEach((item, i) => settle(item, outcomes[i], revision, position));
          return;
        }
        try {
          const result = await this.store.appendToStream(streamName, data, { expectedRevision: revision === null ? 'no_stream' : revision });
          this.cache.set(decider, streamName, { state, revision: result.nextExpectedRevision, position: result.position });
          group.forEach((item, i) => settle(item, outcomes[i], result.nextExpectedRevision, result.position));
          return;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
          if (attempt >= this.maxAttempts) throw new ConcurrencyConflictError(streamName, attempt);
        }
      }
    } catch (error) {
      for (const item of group) item.reject(error);
    }
  }

  /**
   * Commands on one stream in this process run one after another: the next decides on the state
   * the one before it appended (kept in the cache) instead of racing it to a conflict, a re-read
   * and a second append. Commands on other streams are not held up.
   */
  private oneAtATime<T>(streamName: string, work: () => Promise<T>): Promise<T> {
    const before = this.inFlight.get(streamName);
    const mine = before ? before.then(work) : work();
    const settled = mine.catch(() => undefined);
    this.inFlight.set(streamName, settled);
    void settled.then(() => {
      if (this.inFlight.get(streamName) === settled) this.inFlight.delete(streamName);
    });
    return mine;
  }

  private async decideAndAppend<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamName: string,
    command: Command,
    options: RunOptions,
  ): Promise<CommandResult<Event, State>> {
    for (let attempt = 1; ; attempt++) {
      const cached = attempt === 1 && options.fromCache ? this.cache.get<State>(decider, streamName) : undefined;
      const { state, revision, position } =
        attempt === 1 && options.newStream
          ? { state: decider.initialState(), revision: null, position: null }
          : (cached ?? (await this.load(decider, streamName)));
      const events = decider.decide(command, state);
      if (events.length === 0) return { events, state, nextExpectedRevision: revision, position };
      try {
        const result = await this.append(streamName, events, revision, options);
        const next = events.reduce((s, e) => decider.evolve(s, e), state);
        if (options.cache !== false) this.cache.set(decider, streamName, { state: next, revision: result.nextExpectedRevision, position: result.position });
        return { events, state: next, ...result };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= this.maxAttempts) throw new ConcurrencyConflictError(streamName, attempt);
      }
    }
  }

  /**
   * The current state of a stream, folded from the cache and the events after it, with its
   * revision and the position of its last event (null while it is empty). For reading a stream a
   * handler does not write; after `run`, use the state it returns.
   */
  async load<Event extends DomainEvent, State>(
    decider: Decider<unknown, Event, State>,
    streamName: string,
  ): Promise<{ state: State; revision: bigint | null; position: Position | null }> {
    const cached = this.cache.get<State>(decider, streamName);
    let state = cached?.state ?? decider.initialState();
    let revision = cached?.revision ?? null;
    let position = cached?.position ?? null;
    for (;;) {
      const fromRevision = revision === null ? 'start' : revision + 1n;
      const page = await this.store.readStream(streamName, { fromRevision, maxCount: READ_PAGE });
      for (const recorded of page) {
        state = decider.evolve(state, this.toDomainEvent<Event>(recorded));
        revision = recorded.revision;
        position = recorded.position;
      }
      if (page.length < READ_PAGE) break;
    }
    if (revision !== null && position !== null && revision !== cached?.revision) this.cache.set(decider, streamName, { state, revision, position });
    return { state, revision, position };
  }

  /**
   * The current states of several streams, as `load` gives each, read in one `readStreams` (one
   * round trip on PostgreSQL) for the tails after what the cache holds: for a handler that checks
   * a command against several streams it does not write. The answers in the order of `streams`.
   */
  async loadAll<const T extends readonly StreamToLoad<unknown>[]>(streams: T): Promise<{ -readonly [K in keyof T]: Loaded<StateOf<T[K]>> }> {
    const cached = streams.map(({ decider, streamName }) => this.cache.get<unknown>(decider, streamName));
    const pages = await this.store.readStreams(
      streams.map(({ streamName }, i) => ({ streamName, fromRevision: cached[i] ? cached[i]!.revision + 1n : 'start', maxCount: READ_PAGE })),
    );
    const loaded = await Promise.all(
      streams.map(async ({ decider, streamName }, i): Promise<Loaded<unknown>> => {
        // A tail longer than a page (a stream first read, and long): the rest as `load` reads it.
        if (pages[i].length >= READ_PAGE) return this.load(decider, streamName);
        let state = cached[i]?.state ?? decider.initialState();
        let revision = cached[i]?.revision ?? null;
        let position = cached[i]?.position ?? null;
        for (const recorded of pages[i]) {
          state = decider.evolve(state, this.toDomainEvent(recorded));
          revision = recorded.revision;
          position = recorded.position;
        }
        if (revision !== null && position !== null && pages[i].length > 0) this.cache.set(decider, streamName, { state, revision, position });
        return { state, revision, position };
      }),
    );
    return loaded as { -readonly [K in keyof T]: Loaded<StateOf<T[K]>> };
  }

  private toDomainEvent<Event extends DomainEvent>(recorded: RecordedEvent): Event {
    const upcast = this.schemas.upcast(recorded);
    return { type: upcast.type, data: upcast.data } as Event;
  }

  private append(streamName: string, events: DomainEvent[], revision: bigint | null, options: RunOptions): Promise<AppendResult> {
    const context = currentContext();
    const data = events.map((event, i) => this.eventData(event, options.eventIds?.[i], context, options));
    return this.store.appendToStream(streamName, data, { expectedRevision: revision === null ? 'no_stream' : revision });
  }

  /** An event as it is appended: its id, and the metadata of the request that decided it. */
  private eventData(event: DomainEvent, id: string | undefined, context: RequestContext | undefined, options: RunOptions): EventData {
    const base: EventMetadata = {
      correlationId: context?.correlationId ?? randomUUID(),
      causationId: context?.causationId,
      userId: context?.userId,
      traceKey: context?.traceKey,
      ...options.metadata,
    };
    return { id: id ?? randomUUID(), type: event.type, data: event.data, metadata: this.schemas.stamp(event.type, dropUndefined(base)) };
  }
}

function settle(item: GroupedCommand, outcome: { events: DomainEvent[]; state: unknown } | { error: unknown }, revision: bigint | null, position: Position | null): void {
  if ('error' in outcome) item.reject(outcome.error);
  else item.resolve({ events: outcome.events, state: outcome.state, nextExpectedRevision: revision, position });
}

function dropUndefined(metadata: EventMetadata): EventMetadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)) as EventMetadata;
}

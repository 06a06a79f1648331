import type { EventFilter, Position, RecordedEvent } from '../event-store';
import type { LogPage } from './postgres-subscription';

/** A page of the global log as the store reads it (see PostgresEventStore.readPage). */
export type ReadLogPage = (from: Position | 'start', maxCount: number, filter?: EventFilter) => Promise<LogPage>;

export interface LogTailOptions {
  /**
   * The process's append counter (AppendSignal's version): a refresh notes it when it starts, and
   * answers later callers who have heard of no append since (see `readPage`'s `freshAsOf`).
   */
  appendVersion?: () => number;
  /** Events one refresh reads; a refresh that comes back full has not reached the head. */
  pageSize?: number;
  /** Most events kept; older ones are dropped and readers before them read for themselves. */
  capacity?: number;
}

/** What one refresh saw: every event of the log in (from, to], none missing, in log order. */
interface TailState {
  from: Position;
  to: Position;
  events: readonly RecordedEvent[];
  held: boolean;
  /** The append counter when the refresh that read up to `to` started. */
  version: number;
}

interface RunningRefresh {
  version: number;
  result: Promise<TailState | null>;
}

interface QueuedRefresh {
  /** The furthest position of its callers: where it starts when there is no tail to go on from. */
  seed: Position;
  result: Promise<TailState | null>;
}

/**
 * The newest stretch of the global log, read unfiltered by one refresh at a time and shared by
 * every subscription at the live edge, so a wake-up costs one page query for the whole process
 * instead of one per subscription.
 *
 * A refresh reads after the tail's end, below the oldest running transaction, so no event can later
 * appear inside what it has read. A caller is answered from a refresh that started after every
 * append it has heard of: one that gives `freshAsOf` (the append counter it read before asking)
 * is answered from the tail as it is, or from the refresh under way, when that started at or after
 * this count; otherwise, and always for a caller that gives none (a poll: it has heard of nothing,
 * and wants what others may have committed unannounced), from a refresh that starts after its call.
 * Callers that need a new refresh while one runs share the next. So under a steady stream of
 * appends the process reads the log about once per wake-up, however many subscriptions it has.
 * A caller before the tail (catching up), or after a refresh that did not reach the head, reads
 * the log itself, with its filter, as it would without the tail.
 */
export class LogTail {
  private readonly pageSize: number;
  private readonly capacity: number;
  private readonly appendVersion: () => number;
  private state: TailState | null = null;
  private running: RunningRefresh | null = null;
  private queued: QueuedRefresh | null = null;

  constructor(
    private readonly read: ReadLogPage,
    options: LogTailOptions = {},
  ) {
    this.appendVersion = options.appendVersion ?? (() => 0);
    this.pageSize = options.pageSize ?? 1000;
    this.capacity = Math.max(options.capacity ?? 10_000, this.pageSize);
  }

  /**
   * `live` says the caller's last page came back short: it is at the head, and may start the
   * tail at its position when there is none. A caller still catching up never does, or every page
   * of a catch-up would read a full page more. `freshAsOf`: the append counter the caller read
   * before this call; the answer then needs to be only as fresh as that (see the class comment).
   */
  async readPage(from: Position | 'start', maxCount: number, filter: EventFilter | undefined, live: boolean, freshAsOf?: number): Promise<LogPage> {
    const current = this.state;
    if (from === 'start' || (current === null ? !live : from < current.from)) return this.read(from, maxCount, filter);
    // A tail still waiting on a running transaction is never fresh enough: it is read again.
    if (current && freshAsOf !== undefined && current.version >= freshAsOf && !current.held && from <= current.to) {
      return serve(current, from, maxCount, filter);
    }
    const state = await this.refreshAfter(from, freshAsOf);
    if (state === null || from < state.from || from > state.to) return this.read(from, maxCount, filter);
    return serve(state, from, maxCount, filter);
  }

  /**
   * The refresh under way when it is fresh enough for the caller, else one that starts after this
   * call: a new one if none runs, else the one queued behind it.
   */
  private refreshAfter(from: Position, freshAsOf: number | undefined): Promise<TailState | null> {
    const running = this.running;
    if (running && freshAsOf !== undefined && running.version >= freshAsOf) return running.result;
    const queued = this.queued;
    if (queued) {
      if (from > queued.seed) queued.seed = from;
      return queued.result;
    }
    if (!running) return this.start(from);
    const next: QueuedRefresh = {
      seed: from,
      result: running.result.then(() => {
        this.queued = null;
        return this.start(next.seed);
      }),
    };
    this.queued = next;
    return next.result;
  }

  private start(seed: Position): Promise<TailState | null> {
    const version = this.appendVersion();
    const running: RunningRefresh = {
      version,
      result: this.refresh(seed, version).finally(() => {
        if (this.running === running) this.running = null;
      }),
    };
    this.running = running;
    return running.result;
  }

  /** Null when the tail is of no use this time: the page was full, or the read failed. */
  private async refresh(seed: Position, version: number): Promise<TailState | null> {
    const previous = this.state;
    const from = previous?.to ?? seed;
    let page: LogPage;
    try {
      page = await this.read(from, this.pageSize);
    } catch {
      // Each caller reads for itself and gets its own answer, as without the tail.
      return null;
    }
    if (page.events.length === this.pageSize) {
      // More came than one refresh reads; the tail starts again from a caller at the head.
      this.state = null;
      return null;
    }
    let events = previous ? previous.events.concat(page.events) : page.events;
    let start = previous?.from ?? from;
    if (events.length > this.capacity) {
      const dropped = events.length - this.capacity;
      start = events[dropped - 1].position;
      events = events.slice(dropped);
    }
    const state: TailState = { from: start, to: page.scannedTo ?? from, events, held: page.held, version };
    this.state = state;
    return state;
  }
}

/** The caller's page, as its own filtered read would have answered it. */
function serve(state: TailState, from: Position, maxCount: number, filter: EventFilter | undefined): LogPage {
  const { events } = state;
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle].position <= from) low = middle + 1;
    else high = middle;
  }
  const types = filter?.eventTypes ? new Set(filter.eventTypes) : null;
  const prefixes = filter?.streamNamePrefixes ?? null;
  const matching: RecordedEvent[] = [];
  for (let i = low; i < events.length; i++) {
    const event = events[i];
    if (types && !types.has(event.type)) continue;
    if (prefixes && !prefixes.some((prefix) => event.streamName.startsWith(prefix))) continue;
    matching.push(event);
    if (matching.length === maxCount) return { events: matching, scannedTo: event.position, held: state.held };
  }
  return { events: matching, scannedTo: state.to, held: state.held };
}

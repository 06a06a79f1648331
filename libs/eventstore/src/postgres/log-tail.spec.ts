import type { EventFilter, Position, RecordedEvent } from '../event-store';
import { decodePosition, encodePosition } from '../position';
import { LogTail } from './log-tail';
import type { LogPage } from './postgres-subscription';

/**
 * The store's readPage over an in-memory log: events of transactions below `horizon` (the oldest
 * one still running) are readable; `held` when a committed event waits above it. A read can be
 * paused until `release`, to see what callers arriving meanwhile are answered with.
 */
class FakeLog {
  events: RecordedEvent[] = [];
  horizon = 1n;
  reads: Array<{ from: Position | 'start'; maxCount: number; filter?: EventFilter }> = [];
  failNext = false;
  private gates: Array<() => void> = [];
  private paused = false;

  append(tx: number, type: string, streamName = 'tasks-1'): RecordedEvent {
    const event: RecordedEvent = {
      id: `e${this.events.length}`,
      type,
      data: {},
      metadata: {},
      streamName,
      revision: 0n,
      position: encodePosition(BigInt(tx), BigInt(this.events.length + 1)),
      recordedAt: new Date(0),
    };
    this.events.push(event);
    this.events.sort((a, b) => (a.position < b.position ? -1 : 1));
    return event;
  }

  /** Commits everything appended so far: the horizon moves past every transaction. */
  commitAll(): void {
    for (const event of this.events) if (txOf(event) >= this.horizon) this.horizon = txOf(event) + 1n;
  }

  pause(): void {
    this.paused = true;
  }

  /** Lets every paused read answer with what it read when it was asked. */
  release(): void {
    this.paused = false;
    for (const open of this.gates.splice(0)) open();
  }

  get unfilteredReads(): number {
    return this.reads.filter((r) => !r.filter).length;
  }

  readPage = async (from: Position | 'start', maxCount: number, filter?: EventFilter): Promise<LogPage> => {
    this.reads.push({ from, maxCount, filter });
    const failed = this.failNext;
    this.failNext = false;
    const safe = this.events.filter((e) => txOf(e) < this.horizon);
    const page = safe
      .filter((e) => from === 'start' || e.position > from)
      .filter((e) => !filter?.eventTypes || filter.eventTypes.includes(e.type))
      .filter((e) => !filter?.streamNamePrefixes || filter.streamNamePrefixes.some((p) => e.streamName.startsWith(p)))
      .slice(0, maxCount);
    let scannedTo: Position | null = from === 'start' ? null : from;
    const head = safe[safe.length - 1]?.position ?? null;
    if (page.length === maxCount) scannedTo = page[page.length - 1].position;
    else if (head !== null && (scannedTo === null || head > scannedTo)) scannedTo = head;
    const held = safe.length < this.events.length;
    // Its snapshot is taken when asked, as a query's is; the answer may come later.
    if (this.paused) await new Promise<void>((resolve) => this.gates.push(resolve));
    if (failed) throw new Error('connection lost');
    return { events: page, scannedTo, held };
  };
}

function txOf(event: RecordedEvent): bigint {
  return decodePosition(event.position).major;
}

const types = (page: LogPage) => page.events.map((e) => e.type);

describe('LogTail', () => {
  let log: FakeLog;
  let origin: RecordedEvent;

  beforeEach(() => {
    log = new FakeLog();
    origin = log.append(1, 'Origin');
    log.commitAll();
  });

  it('answers a caller arriving during a refresh from the next one, which sees what was committed meanwhile', async () => {
    const tail = new LogTail(log.readPage);
    log.pause();
    const first = tail.readPage(origin.position, 100, undefined, true);
    log.append(2, 'Late');
    log.commitAll();
    const second = tail.readPage(origin.position, 100, undefined, true);
    const third = tail.readPage(origin.position, 100, { eventTypes: ['Late'] }, true);
    log.release();
    expect(types(await first)).toEqual([]);
    expect(types(await second)).toEqual(['Late']);
    expect(types(await third)).toEqual(['Late']);
    // One refresh for the first caller, one shared by the two that came while it ran.
    expect(log.reads).toHaveLength(2);
    expect(log.unfilteredReads).toBe(2);
  });

  it('never answers from a refresh that ended before the call, however recent', async () => {
    const tail = new LogTail(log.readPage);
    await tail.readPage(origin.position, 100, undefined, true);
    log.append(2, 'Next');
    log.commitAll();
    expect(types(await tail.readPage(origin.position, 100, undefined, true))).toEqual(['Next']);
    expect(log.unfilteredReads).toBe(2);
  });

  it('filters by type and stream prefix, bounded by maxCount, and says how far it scanned', async () => {
    const tail = new LogTail(log.readPage);
    await tail.readPage(origin.position, 100, undefined, true);
    const a1 = log.append(2, 'A', 'users-1');
    log.append(2, 'B', 'users-1');
    const a2 = log.append(3, 'A', 'tasks-1');
    const a3 = log.append(3, 'A', 'users-2');
    const last = log.append(4, 'C', 'users-3');
    log.commitAll();
    const reads = log.reads.length;

    const filter = { eventTypes: ['A'], streamNamePrefixes: ['users-'] };
    const all = await tail.readPage(origin.position, 100, filter, true);
    expect(all.events).toEqual([a1, a3]);
    expect(all.scannedTo).toBe(last.position);
    expect(all.held).toBe(false);

    const bounded = await tail.readPage(origin.position, 1, { eventTypes: ['A'] }, true);
    expect(bounded.events).toEqual([a1]);
    expect(bounded.scannedTo).toBe(a1.position);
    const rest = await tail.readPage(a1.position, 2, { eventTypes: ['A'] }, true);
    expect(rest.events).toEqual([a2, a3]);
    expect(rest.scannedTo).toBe(a3.position);
    const after = await tail.readPage(a3.position, 2, { eventTypes: ['A'] }, true);
    expect(after.events).toEqual([]);
    expect(after.scannedTo).toBe(last.position);
    // Every one of them from a refresh, none with its own query.
    expect(log.reads.slice(reads).every((r) => !r.filter)).toBe(true);
  });

  it('says held when a committed event waits behind a running transaction, and serves it once that ends', async () => {
    const tail = new LogTail(log.readPage);
    await tail.readPage(origin.position, 100, undefined, true);
    log.append(5, 'Fast');
    log.horizon = 3n;
    const held = await tail.readPage(origin.position, 100, undefined, true);
    expect(held).toEqual({ events: [], scannedTo: origin.position, held: true });
    log.append(3, 'Slow');
    log.commitAll();
    expect(types(await tail.readPage(origin.position, 100, undefined, true))).toEqual(['Slow', 'Fast']);
  });

  it('keeps at most its capacity: a caller before what it keeps reads for itself, without waiting for a refresh', async () => {
    const tail = new LogTail(log.readPage, { pageSize: 3, capacity: 3 });
    await tail.readPage(origin.position, 100, undefined, true);
    const events = [];
    for (let tx = 2; tx <= 5; tx++) {
      events.push(log.append(tx, `T${tx}`));
      log.commitAll();
      // One event per refresh, so none is full.
      await tail.readPage(events[events.length - 1].position, 100, undefined, true);
    }
    log.append(6, 'T6');
    log.commitAll();
    const reads = log.reads.length;
    // Kept: T3, T4, T5 (and T6 after this refresh drops T3); T2 is before the tail.
    expect(types(await tail.readPage(events[1].position, 100, undefined, true))).toEqual(['T4', 'T5', 'T6']);
    expect(log.reads.slice(reads)).toEqual([{ from: events[3].position, maxCount: 3, filter: undefined }]);

    const old = await tail.readPage(events[0].position, 100, { eventTypes: ['T3', 'T6'] }, true);
    expect(types(old)).toEqual(['T3', 'T6']);
    expect(log.reads.slice(reads + 1)).toEqual([{ from: events[0].position, maxCount: 100, filter: { eventTypes: ['T3', 'T6'] } }]);
  });

  it('after a refresh that comes back full, callers read for themselves, and the next live caller starts it again', async () => {
    const tail = new LogTail(log.readPage, { pageSize: 2 });
    await tail.readPage(origin.position, 100, undefined, true);
    const burst = [log.append(2, 'A'), log.append(2, 'B'), log.append(2, 'A')];
    log.commitAll();
    const reads = log.reads.length;
    const page = await tail.readPage(origin.position, 100, { eventTypes: ['A'] }, true);
    expect(page.events).toEqual([burst[0], burst[2]]);
    expect(log.reads.slice(reads).map((r) => r.filter)).toEqual([undefined, { eventTypes: ['A'] }]);

    // The tail was dropped; a caller still catching up does not start it, a live one does, at its position.
    await tail.readPage(burst[0].position, 1, { eventTypes: ['A'] }, false);
    expect(log.reads[log.reads.length - 1].filter).toEqual({ eventTypes: ['A'] });
    log.append(3, 'A');
    log.commitAll();
    const live = await tail.readPage(burst[2].position, 100, { eventTypes: ['A'] }, true);
    expect(types(live)).toEqual(['A']);
    expect(log.reads[log.reads.length - 1]).toEqual({ from: burst[2].position, maxCount: 2, filter: undefined });
  });

  it('does not start from a caller still catching up, nor from the start of the log', async () => {
    const tail = new LogTail(log.readPage);
    await tail.readPage(origin.position, 100, undefined, false);
    await tail.readPage('start', 100, undefined, true);
    expect(log.unfilteredReads).toBe(2);
    expect(log.reads.map((r) => r.maxCount)).toEqual([100, 100]);
  });

  it('reads for a caller ahead of the tail', async () => {
    const tail = new LogTail(log.readPage);
    await tail.readPage(origin.position, 100, undefined, true);
    const ahead = log.append(2, 'Ahead');
    log.horizon = 2n;
    const reads = log.reads.length;
    await tail.readPage(ahead.position, 100, { eventTypes: ['X'] }, true);
    expect(log.reads.slice(reads).map((r) => r.filter)).toEqual([undefined, { eventTypes: ['X'] }]);
  });

  it('when a refresh fails, its callers read for themselves, and the tail goes on where it was', async () => {
    const tail = new LogTail(log.readPage);
    await tail.readPage(origin.position, 100, undefined, true);
    log.append(2, 'Next');
    log.commitAll();
    log.failNext = true;
    expect(types(await tail.readPage(origin.position, 100, { eventTypes: ['Next'] }, true))).toEqual(['Next']);
    const reads = log.reads.length;
    expect(types(await tail.readPage(origin.position, 100, undefined, true))).toEqual(['Next']);
    expect(log.reads.slice(reads)).toEqual([{ from: origin.position, maxCount: 1000, filter: undefined }]);
  });

  describe('with the append counter (freshAsOf)', () => {
    let version: number;
    let tail: LogTail;

    beforeEach(async () => {
      version = 0;
      tail = new LogTail(log.readPage, { appendVersion: () => version });
      await tail.readPage(origin.position, 100, undefined, true, version);
    });

    it('answers a caller who heard of no append since the last refresh began from the tail as it is, without a read', async () => {
      log.append(2, 'Next');
      log.commitAll();
      version++;
      expect(types(await tail.readPage(origin.position, 100, undefined, true, version))).toEqual(['Next']);
      const reads = log.reads.length;
      // Ten subscriptions woken by that one append, each asking after the refresh it caused.
      for (let i = 0; i < 10; i++) expect(types(await tail.readPage(origin.position, 100, { eventTypes: ['Next'] }, true, version))).toEqual(['Next']);
      expect(log.reads.length).toBe(reads);
    });

    it('reads again for a caller who heard of an append after the last refresh began, and joins one that began after it', async () => {
      log.append(2, 'Next');
      log.commitAll();
      version++;
      log.pause();
      const first = tail.readPage(origin.position, 100, undefined, true, version);
      const joining = tail.readPage(origin.position, 100, undefined, true, version);
      log.release();
      expect(types(await first)).toEqual(['Next']);
      expect(types(await joining)).toEqual(['Next']);
      expect(log.unfilteredReads).toBe(2);
    });

    it('reads again for a poll (no freshAsOf): an append another process committed may not have been announced', async () => {
      log.append(2, 'Unannounced');
      log.commitAll();
      expect(types(await tail.readPage(origin.position, 100, undefined, true, version))).toEqual([]);
      expect(types(await tail.readPage(origin.position, 100, undefined, true))).toEqual(['Unannounced']);
    });

    it('never answers from a tail held back by a running transaction: it reads again', async () => {
      log.append(5, 'Fast');
      log.horizon = 3n;
      version++;
      expect(await tail.readPage(origin.position, 100, undefined, true, version)).toMatchObject({ events: [], held: true });
      log.append(3, 'Slow');
      log.commitAll();
      expect(types(await tail.readPage(origin.position, 100, undefined, true, version))).toEqual(['Slow', 'Fast']);
    });
  });
});

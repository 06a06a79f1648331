import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedVersionError } from '../errors';
import type { EventData } from '../event-store';
import { UnstorableEventError } from '../storable';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { FakeEventStoreDb } from './testing/fake-client';

function event(type = 'Tested', data: Record<string, unknown> = {}): EventData {
  return { id: randomUUID(), type, data, metadata: { correlationId: randomUUID() } };
}

const UNREACHABLE = new UnavailableError(
  undefined,
  '14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2113. Resolution note: ',
);

describe('EventStoreDbEventStore (against an in-memory stand-in for the server)', () => {
  let fake: FakeEventStoreDb;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    fake = new FakeEventStoreDb();
    fake.writeSystemEvent();
    store = new EventStoreDbEventStore({ connectionString: 'esdb://admin:changeit@fake:2113?tls=false', pingTimeoutMs: 50 }, fake.client);
  });
  afterEach(() => store.close());

  describe('appendToStream', () => {
    it('refuses an event with NUL or a lone surrogate before anything reaches the server', async () => {
      const append = jest.spyOn(fake, 'appendToStream');
      await expect(store.appendToStream('s-1', [event(), event('Tested', { title: 'a\u0000' })])).rejects.toBeInstanceOf(UnstorableEventError);
      await expect(store.appendToStream('s-1', [{ ...event(), metadata: { correlationId: '\ud800' } }])).rejects.toBeInstanceOf(UnstorableEventError);
      expect(append).not.toHaveBeenCalled();
    });

    it.each([
      ['any', 'any'],
      ['no_stream', 'no_stream'],
      ['stream_exists', 'stream_exists'],
      [0n, 0n],
    ] as const)('sends expected revision %s as %s', async (ours, theirs) => {
      if (ours !== 'no_stream') await store.appendToStream('s-1', [event()]);
      const append = jest.spyOn(fake, 'appendToStream');
      await store.appendToStream('s-1', [event()], { expectedRevision: ours });
      expect(append.mock.calls[0][2]).toEqual({ expectedRevision: theirs });
    });

    it('returns the new revision and the $all position of the last event written', async () => {
      const result = await store.appendToStream('s-1', [event(), event()]);
      const stored = await store.readStream('s-1');
      expect(result).toEqual({ nextExpectedRevision: 1n, position: stored[1].position });
    });

    it('turns a conflict into our WrongExpectedVersionError with expected and actual', async () => {
      await store.appendToStream('s-1', [event(), event()]);
      await expect(store.appendToStream('s-1', [event()], { expectedRevision: 0n })).rejects.toMatchObject({
        constructor: WrongExpectedVersionError,
        expected: 0n,
        actual: 1n,
      });
      await expect(store.appendToStream('s-2', [event()], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
        constructor: WrongExpectedVersionError,
        expected: 'stream_exists',
        actual: 'no_stream',
      });
    });

    it('reads the actual revision itself when the client reports a conflict without details', async () => {
      fake.reportConflictsAsResults = true;
      await store.appendToStream('s-1', [event(), event()]);
      await expect(store.appendToStream('s-1', [event()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
        constructor: WrongExpectedVersionError,
        expected: 'no_stream',
        actual: 1n,
      });
    });

    it('answers an idempotent re-append with the first result, reading the position back when the server omits it', async () => {
      const events = [event(), event()];
      const first = await store.appendToStream('s-1', events, { expectedRevision: 'no_stream' });
      fake.omitAppendPositions = true;
      expect(await store.appendToStream('s-1', events, { expectedRevision: 'no_stream' })).toEqual(first);
      expect(await store.readStream('s-1')).toHaveLength(2);
    });

    it('refuses an empty append, as the PostgreSQL adapter does', async () => {
      await expect(store.appendToStream('s-1', [])).rejects.toThrow(RangeError);
    });

    it('reports an unreachable server as EventStoreUnavailableError', async () => {
      fake.unreachable = UNREACHABLE;
      await expect(store.appendToStream('s-1', [event()])).rejects.toThrow(EventStoreUnavailableError);
    });
  });

  describe('readStream', () => {
    beforeEach(async () => {
      await store.appendToStream('s-r', Array.from({ length: 5 }, (_, i) => event('Numbered', { i })));
    });

    it('returns nothing for a stream that does not exist', async () => {
      expect(await store.readStream('s-missing')).toEqual([]);
    });

    it('reads in either direction from a revision, bounded', async () => {
      expect((await store.readStream('s-r', { fromRevision: 1n, maxCount: 2 })).map((e) => e.revision)).toEqual([1n, 2n]);
      expect((await store.readStream('s-r', { direction: 'backwards', maxCount: 2 })).map((e) => e.revision)).toEqual([4n, 3n]);
    });

    it('reads forwards from the end as the last event', async () => {
      expect((await store.readStream('s-r', { fromRevision: 'end' })).map((e) => e.revision)).toEqual([4n]);
    });
  });

  describe('readAll', () => {
    it('skips the server’s own events and starts after an exclusive position', async () => {
      await store.appendToStream('s-1', [event('A'), event('B')]);
      fake.writeSystemEvent();
      await store.appendToStream('s-2', [event('C')]);
      const all = await store.readAll();
      expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C']);
      expect((await store.readAll({ fromPosition: all[0].position })).map((e) => e.type)).toEqual(['B', 'C']);
      expect(await store.readAll({ fromPosition: all[2].position })).toEqual([]);
    });

    it('pages through more of the log than one read returns, filtering, without skipping or repeating', async () => {
      for (let i = 0; i < 2500; i++) {
        await store.appendToStream(i % 3 === 0 ? `keep-${i % 7}` : `other-${i}`, [event(i % 2 === 0 ? 'Even' : 'Odd', { i })]);
        if (i % 400 === 0) fake.writeSystemEvent();
      }
      const filter = { streamNamePrefixes: ['keep-'], eventTypes: ['Even'] };
      const expected = Array.from({ length: 2500 }, (_, i) => i).filter((i) => i % 3 === 0 && i % 2 === 0);
      const first = await store.readAll({ maxCount: 300, filter });
      const rest = await store.readAll({ fromPosition: first[first.length - 1].position, maxCount: 1000, filter });
      expect([...first, ...rest].map((e) => (e.data as { i: number }).i)).toEqual(expected);
      expect(first).toHaveLength(300);
    });

    it('says how far it read, past events the filter left out', async () => {
      await store.appendToStream('s-1', [event('A'), event('B')]);
      const [a, b] = await store.readAll();
      expect(await store.readPage('start', 10, { eventTypes: ['A'] })).toEqual({ events: [a], scannedTo: b.position });
      expect(await store.readPage('start', 1, { eventTypes: ['A', 'B'] })).toEqual({ events: [a], scannedTo: a.position });
    });
  });

  describe('readAllBackwards, readEvent, readCausedBy', () => {
    it('reads the log newest first, paging by an exclusive position across more than one read, filtering', async () => {
      for (let i = 0; i < 1300; i++) {
        await store.appendToStream(`s-${i % 5}`, [event(i % 2 === 0 ? 'Even' : 'Odd', { i })]);
        if (i % 300 === 0) fake.writeSystemEvent();
      }
      const newest = await store.readAllBackwards({ maxCount: 3 });
      expect(newest.map((e) => (e.data as { i: number }).i)).toEqual([1299, 1298, 1297]);
      const first = await store.readAllBackwards({ maxCount: 400, filter: { eventTypes: ['Even'] } });
      const rest = await store.readAllBackwards({ before: first[first.length - 1].position, maxCount: 1000, filter: { eventTypes: ['Even'] } });
      const expected = Array.from({ length: 1300 }, (_, i) => 1299 - i).filter((i) => i % 2 === 0);
      expect([...first, ...rest].map((e) => (e.data as { i: number }).i)).toEqual(expected);
    });

    it('finds an event by id, and the events that name it as their cause after it', async () => {
      await store.appendToStream('s-1', [event('Cause')]);
      const [cause] = await store.readStream('s-1');
      for (let i = 0; i < 1200; i++) await store.appendToStream(`o-${i}`, [event('Other')]);
      const reaction = { ...event('Reaction'), metadata: { causationId: cause.id } };
      await store.appendToStream('s-2', [reaction]);
      expect(await store.readEvent(cause.id)).toEqual(cause);
      expect(await store.readEvent(randomUUID())).toBeNull();
      expect((await store.readCausedBy(cause)).map((e) => e.id)).toEqual([reaction.id]);
      expect(await store.readCausedBy({ id: randomUUID(), position: cause.position })).toEqual([]);
    });
  });

  describe('headPosition', () => {
    it('is null while the log holds only the server’s own events', async () => {
      expect(await store.headPosition()).toBeNull();
    });

    it('is the position of the last event of ours, past trailing system events', async () => {
      await store.appendToStream('s-1', [event(), event()]);
      for (let i = 0; i < 150; i++) fake.writeSystemEvent();
      const stored = await store.readStream('s-1');
      expect(await store.headPosition()).toBe(stored[1].position);
    });
  });

  describe('ping and connection settings', () => {
    it('resolves when the server answers', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('fails with one clear line, without the password, when the server is unreachable', async () => {
      fake.unreachable = UNREACHABLE;
      const error = await store.ping().catch((e: Error) => e);
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect((error as Error).message).toBe('Cannot read from EventStoreDB at esdb://admin:***@fake:2113?tls=false: connect ECONNREFUSED 127.0.0.1:2113');
    });

    it('fails within its timeout when the server does not answer', async () => {
      fake.silent = true;
      const started = Date.now();
      await expect(store.ping()).rejects.toThrow('Cannot read from EventStoreDB at esdb://admin:***@fake:2113?tls=false: no answer within 50 ms');
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('refuses a malformed connection string with one clear line', () => {
      for (const connectionString of ['nonsense', 'esdb://127.0.0.1:abc?tls=false', 'esdb://db:2113?tls=maybe']) {
        const create = () => new EventStoreDbEventStore({ connectionString });
        expect(create).toThrow(EventStoreUnavailableError);
        expect(create).toThrow(/^Invalid EventStoreDB connection string: Unexpected "[^"]+" at position \d+, expected [^\n]+$/);
      }
    });
  });
});

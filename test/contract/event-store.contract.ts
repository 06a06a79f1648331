import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  type EventData,
  type EventStore,
  type Position,
  type RecordedEvent,
  type SubscriptionMessage,
  UnstorableEventError,
  WrongExpectedVersionError,
} from '@app/eventstore';

/** What an adapter's test file hands the contract suite. */
export interface ContractSubject {
  store: EventStore;
  /**
   * Starts an append in a transaction that stays open until `commit` is called, for adapters
   * whose log position is drawn before commit (PostgreSQL). Absent where commits are ordered.
   */
  appendInOpenTransaction?: (stream: string, events: EventData[]) => Promise<{ commit(): Promise<void> }>;
  cleanup(): Promise<void>;
}

/**
 * Guarantees an adapter cannot give because its server does not, each with the reason. The tests
 * that need them are registered as skipped, with the reason in their name, so a report shows them.
 */
export interface ContractLimitations {
  /** Set when an event id already used in one stream can be appended to another. */
  eventIdReuseAcrossStreams?: string;
}

export function event(type = 'Tested', data: Record<string, unknown> = {}): EventData {
  return { id: randomUUID(), type, data, metadata: { correlationId: randomUUID() } };
}

/** A prefix per test, so tests sharing one store never see each other's streams. */
function streamPrefix(): string {
  return `c${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** Reads a subscription until `until` says stop (or the time runs out), collecting events. */
async function collect(
  messages: AsyncIterable<SubscriptionMessage>,
  until: (events: RecordedEvent[], message: SubscriptionMessage) => boolean,
  timeoutMs = 30_000,
): Promise<{ events: RecordedEvent[]; caughtUp: number }> {
  const events: RecordedEvent[] = [];
  let caughtUp = 0;
  const deadline = Date.now() + timeoutMs;
  for await (const message of messages) {
    if (message.type === 'events') events.push(...message.events);
    else caughtUp++;
    if (until(events, message)) break;
    if (Date.now() > deadline) throw new Error(`subscription timed out with ${events.length} events`);
  }
  return { events, caughtUp };
}

export function describeEventStoreContract(
  adapter: string,
  setup: () => Promise<ContractSubject>,
  limitations: ContractLimitations = {},
): void {
  /** `it`, or `it.skip` saying why when the adapter declared the limitation. */
  const unless = (limitation: string | undefined) => (name: string, test: () => Promise<void>) =>
    limitation ? it.skip(`${name} (skipped: ${limitation})`, test) : it(name, test);

  describe(`EventStore contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    let prefix: string;

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });
    beforeEach(() => {
      prefix = streamPrefix();
    });

    describe('appendToStream with an expected revision', () => {
      it('no_stream creates a stream and returns revision 0 and a position', async () => {
        const result = await store.appendToStream(`${prefix}-a`, [event()], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(0n);
        expect(typeof result.position).toBe('string');
      });

      it('no_stream fails on an existing stream, naming expected and actual', async () => {
        await store.appendToStream(`${prefix}-a`, [event(), event()]);
        const error = await store.appendToStream(`${prefix}-a`, [event()], { expectedRevision: 'no_stream' }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error.expected).toBe('no_stream');
        expect(error.actual).toBe(1n);
      });

      it('an exact revision appends when the stream is there and fails when it moved on', async () => {
        const stream = `${prefix}-a`;
        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(stream, [event(), event()], { expectedRevision: 0n });
        expect(second.nextExpectedRevision).toBe(2n);
        const error = await store.appendToStream(stream, [event()], { expectedRevision: 0n }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error.expected).toBe(0n);
        expect(error.actual).toBe(2n);
      });

      it('an exact revision on a missing stream fails with actual no_stream', async () => {
        const error = await store.appendToStream(`${prefix}-a`, [event()], { expectedRevision: 3n }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error.actual).toBe('no_stream');
      });

      it('stream_exists fails on a missing stream and appends to an existing one', async () => {
        const stream = `${prefix}-a`;
        const error = await store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error.actual).toBe('no_stream');
        await store.appendToStream(stream, [event()]);
        const result = await store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('returns the position of the last event written, as reads report it', async () => {
        const result = await store.appendToStream(`${prefix}-a`, [event(), event(), event()]);
        const stored = await store.readStream(`${prefix}-a`);
        expect(result.position).toBe(stored[2].position);
        expect((await store.readAll({ fromPosition: stored[1].position, filter: { streamNamePrefixes: [prefix] } }))[0].position).toBe(result.position);
      });

      it('any appends whatever the stream holds', async () => {
        const stream = `${prefix}-a`;
        expect((await store.appendToStream(stream, [event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0n);
        expect((await store.appendToStream(stream, [event(), event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(2n);
      });

      it('a failed append writes nothing', async () => {
        const stream = `${prefix}-a`;
        await store.appendToStream(stream, [event()]);
        await store.appendToStream(stream, [event(), event()], { expectedRevision: 5n }).catch(() => undefined);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('of many writers racing at the same revision exactly one wins', async () => {
        const stream = `${prefix}-a`;
        await store.appendToStream(stream, [event()]);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () => store.appendToStream(stream, [event()], { expectedRevision: 0n })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('events no store can keep', () => {
      it.each([
        ['NUL in data', { data: { title: 'a\u0000b' } }],
        ['a lone high surrogate in data', { data: { title: 'a\ud800b' } }],
        ['a lone low surrogate in a key of data', { data: { ['k\udc00']: 1 } }],
        ['NUL in metadata', { metadata: { correlationId: 'x\u0000' } }],
      ])('%s is refused at append, and nothing of that append is written', async (_, part) => {
        const stream = `${prefix}-bad`;
        const bad = { ...event(), ...part } as EventData;
        await expect(store.appendToStream(stream, [event(), bad], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          UnstorableEventError,
        );
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('accepts text that only looks like those: an escaped backslash before u0000, and paired surrogates', async () => {
        const stream = `${prefix}-look-alike`;
        const data = { text: 'C:\\u0000 and \\\\ud800', emoji: 'beak 🐦 ok' };
        await store.appendToStream(stream, [{ ...event(), data }]);
        expect((await store.readStream(stream))[0].data).toEqual(data);
      });
    });

    describe('idempotent re-append', () => {
      it.each([['no_stream'], ['any'], ['stream_exists'], ['exact']])(
        'appending the same event ids again with %s returns the first result and writes nothing',
        async (kind) => {
          const stream = `${prefix}-a`;
          await store.appendToStream(stream, [event()]);
          const expectedRevision = kind === 'no_stream' ? 'no_stream' : kind === 'exact' ? 0n : (kind as 'any');
          const target = kind === 'no_stream' ? `${prefix}-b` : stream;
          const events = [event(), event()];
          const first = await store.appendToStream(target, events, { expectedRevision });
          const again = await store.appendToStream(target, events, { expectedRevision });
          expect(again).toEqual(first);
          const stored = await store.readStream(target);
          expect(stored.map((e) => e.id).filter((id) => events.some((e) => e.id === id))).toEqual(events.map((e) => e.id));
          expect(stored).toHaveLength(kind === 'no_stream' ? 2 : 3);
        },
      );

      unless(limitations.eventIdReuseAcrossStreams)('reusing an event id in another stream is refused', async () => {
        const reused = event();
        await store.appendToStream(`${prefix}-a`, [reused]);
        const error = await store.appendToStream(`${prefix}-b`, [reused]).catch((e) => e);
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(`${prefix}-b`)).toEqual([]);
      });
    });

    describe('readStream', () => {
      const stream = () => `${prefix}-r`;
      beforeEach(async () => {
        await store.appendToStream(stream(), Array.from({ length: 5 }, (_, i) => event('Numbered', { i })));
      });

      it('reads forwards from the start with everything stored on each event', async () => {
        const events = await store.readStream(stream());
        expect(events.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        const [first] = events;
        expect(first.type).toBe('Numbered');
        expect(first.streamName).toBe(stream());
        expect(first.metadata.correlationId).toEqual(expect.any(String));
        expect(first.recordedAt).toBeInstanceOf(Date);
        expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort());
      });

      it('reads forwards from a revision, bounded by maxCount', async () => {
        const events = await store.readStream(stream(), { fromRevision: 1n, maxCount: 2 });
        expect(events.map((e) => e.revision)).toEqual([1n, 2n]);
      });

      it('reads backwards from the end and from a revision', async () => {
        expect((await store.readStream(stream(), { direction: 'backwards', maxCount: 2 })).map((e) => e.revision)).toEqual([4n, 3n]);
        expect((await store.readStream(stream(), { direction: 'backwards', fromRevision: 2n })).map((e) => e.revision)).toEqual([
          2n,
          1n,
          0n,
        ]);
      });

      it('returns nothing for a stream that does not exist', async () => {
        expect(await store.readStream(`${prefix}-missing`)).toEqual([]);
      });

      it('reads several streams at once, each from its revision and bounded by its count, answered in the order asked', async () => {
        await store.appendToStream(`${prefix}-other`, [event('Numbered', { i: 100 }), event('Numbered', { i: 101 })]);
        const [whole, tail, missing, other] = await store.readStreams([
          { streamName: stream(), maxCount: 10 },
          { streamName: stream(), fromRevision: 3n, maxCount: 1 },
          { streamName: `${prefix}-missing`, maxCount: 10 },
          { streamName: `${prefix}-other`, fromRevision: 'start', maxCount: 10 },
        ]);
        expect(whole).toEqual(await store.readStream(stream()));
        expect(tail.map((e) => e.revision)).toEqual([3n]);
        expect(missing).toEqual([]);
        expect(other.map((e) => (e.data as { i: number }).i)).toEqual([100, 101]);
        expect(await store.readStreams([])).toEqual([]);
      });

      it('orders revisions as numbers, not as text, past revision 9', async () => {
        const long = `${prefix}-long`;
        await store.appendToStream(long, Array.from({ length: 120 }, (_, i) => event('Numbered', { i })));
        const all = Array.from({ length: 120 }, (_, i) => BigInt(i));
        expect((await store.readStream(long)).map((e) => e.revision)).toEqual(all);
        expect((await store.readStream(long, { fromRevision: 8n, maxCount: 5 })).map((e) => e.revision)).toEqual([8n, 9n, 10n, 11n, 12n]);
        expect((await store.readStream(long, { direction: 'backwards', maxCount: 120 })).map((e) => e.revision)).toEqual([...all].reverse());
        expect((await store.readStream(long, { direction: 'backwards', fromRevision: 101n, maxCount: 3 })).map((e) => e.revision)).toEqual([101n, 100n, 99n]);
      });

      it('round-trips ids, types, data and metadata unchanged', async () => {
        const original: EventData = {
          id: randomUUID(),
          type: 'Round.Trip',
          data: { text: 'é "quoted" \\ back', nested: { list: [1, 2.5, null, true] }, big: '12345678901234567890' },
          metadata: { correlationId: randomUUID(), causationId: randomUUID(), userId: 'u-1', traceKey: randomUUID(), schemaVersion: 2 },
        };
        await store.appendToStream(`${prefix}-rt`, [original]);
        const [stored] = await store.readStream(`${prefix}-rt`);
        expect({ id: stored.id, type: stored.type, data: stored.data, metadata: stored.metadata }).toEqual(original);
      });
    });

    describe('readAll', () => {
      it('reads the log in position order after an exclusive position, bounded and filtered', async () => {
        await store.appendToStream(`${prefix}-x`, [event('Kept'), event('Dropped')]);
        await store.appendToStream(`${prefix}-y`, [event('Kept')]);
        await store.appendToStream(`other${prefix}-z`, [event('Kept')]);
        const all = await drainAll(store, { eventTypes: ['Kept'], streamNamePrefixes: [prefix] });
        expect(all.map((e) => e.streamName)).toEqual([`${prefix}-x`, `${prefix}-y`]);

        const mine = await drainAll(store, { streamNamePrefixes: [prefix] });
        expect(mine.map((e) => e.type)).toEqual(['Kept', 'Dropped', 'Kept']);
        const after = await store.readAll({ fromPosition: mine[0].position, maxCount: 1, filter: { streamNamePrefixes: [prefix] } });
        expect(after.map((e) => e.id)).toEqual([mine[1].id]);
      });
    });

    describe('headPosition', () => {
      it('is the last event of the log, and with a filter at or after its last match and not past the head', async () => {
        const kind = `Kind${prefix}`;
        const first = await store.appendToStream(`${prefix}-a`, [event(kind), event('Other')]);
        const last = await store.appendToStream(`${prefix}-b`, [event('Other')]);
        expect(await store.headPosition()).toBe(last.position);
        const stored = await drainAll(store, { streamNamePrefixes: [prefix] });
        const head = await store.headPosition({ eventTypes: [kind, `Never${prefix}`] });
        expect(head! >= stored[0].position && head! <= last.position).toBe(true);
        expect(first.position >= stored[0].position).toBe(true);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, signals it, then delivers live events, filtered, from an exclusive position', async () => {
        const stream = `${prefix}-s`;
        await store.appendToStream(stream, [event('A'), event('B'), event('A')]);
        const [firstA] = await store.readStream(stream);
        const subscription = store.subscribeToAll({
          fromPosition: firstA.position,
          filter: { eventTypes: ['A', 'C'], streamNamePrefixes: [prefix] },
        });
        const received: string[] = [];
        let caughtUpAfter = -1;
        const done = (async () => {
          for await (const message of subscription) {
            if (message.type === 'caughtUp') {
              if (caughtUpAfter < 0) {
                caughtUpAfter = received.length;
                await store.appendToStream(stream, [event('B'), event('C')]);
              }
              continue;
            }
            received.push(...message.events.map((e) => `${e.type}@${e.revision}`));
            if (received.includes('C@4')) break;
          }
        })();
        await withTimeout(done, 15_000);
        await subscription.stop();
        expect(received).toEqual(['A@2', 'C@4']);
        expect(caughtUpAfter).toBe(1);
      });

      it('from end delivers only what is appended after it started', async () => {
        const stream = `${prefix}-e`;
        await store.appendToStream(stream, [event('Old')]);
        const subscription = store.subscribeToAll({ fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } });
        const collecting = collect(subscription, (events, message) => {
          if (message.type === 'caughtUp' && events.length === 0) void store.appendToStream(stream, [event('New')]);
          return events.length > 0;
        });
        const { events } = await withTimeout(collecting, 15_000);
        await subscription.stop();
        expect(events.map((e) => e.type)).toEqual(['New']);
      });

      it('20 concurrent writers with 500 events each: a live subscriber sees each once, in order', async () => {
        const writers = 20;
        const perWriter = 500;
        const total = writers * perWriter;
        const subscription = store.subscribeToAll({ fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } });
        const iterator = subscription[Symbol.asyncIterator]();
        // Wait until the subscriber is live before the writers start.
        expect((await iterator.next()).value).toMatchObject({ type: 'caughtUp' });
        const collecting = collect({ [Symbol.asyncIterator]: () => iterator }, (events) => events.length >= total, 120_000);

        // Overlapping streams: each writer appends to 5 of 10 shared streams, one event at a time.
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i++) {
              const stream = `${prefix}-shared-${(w + (i % 5)) % 10}`;
              await store.appendToStream(stream, [event('Raced', { w, i })], { expectedRevision: 'any' });
            }
          }),
        );
        const { events } = await withTimeout(collecting, 120_000);
        await subscription.stop();

        expect(events).toHaveLength(total);
        expect(new Set(events.map((e) => e.id)).size).toBe(total);
        for (let i = 1; i < events.length; i++) expect(events[i].position > events[i - 1].position).toBe(true);
        const lastRevision = new Map<string, bigint>();
        for (const e of events) {
          const previous = lastRevision.get(e.streamName) ?? -1n;
          expect(e.revision).toBe(previous + 1n);
          lastRevision.set(e.streamName, e.revision);
        }
        const perWriterOrder = new Map<number, number>();
        for (const e of events) {
          const { w, i } = e.data as { w: number; i: number };
          expect(i).toBe((perWriterOrder.get(w) ?? -1) + 1);
          perWriterOrder.set(w, i);
        }
      }, 180_000);

      it('a transaction still open while later ones commit does not make a subscriber skip its events', async () => {
        if (!subject.appendInOpenTransaction) return;
        const subscription = store.subscribeToAll({ fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } });
        const iterator = subscription[Symbol.asyncIterator]();
        expect((await iterator.next()).value).toMatchObject({ type: 'caughtUp' });

        const slow = await subject.appendInOpenTransaction(`${prefix}-slow`, [event('Slow')]);
        for (let i = 0; i < 5; i++) await store.appendToStream(`${prefix}-fast`, [event('Fast', { i })]);
        const collecting = collect({ [Symbol.asyncIterator]: () => iterator }, (events) => events.length >= 8, 20_000);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await slow.commit();
        for (let i = 5; i < 7; i++) await store.appendToStream(`${prefix}-fast`, [event('Fast', { i })]);
        const { events } = await withTimeout(collecting, 20_000);
        await subscription.stop();

        // The slow event drew its position first, so it comes first; nothing is lost or repeated.
        expect(events.map((e) => e.type)).toEqual(['Slow', ...Array(7).fill('Fast')]);
        expect(events.slice(1).map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        for (let i = 1; i < events.length; i++) expect(events[i].position > events[i - 1].position).toBe(true);
      }, 60_000);

      it('stop ends the iteration of a live subscription', async () => {
        const subscription = store.subscribeToAll({ fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } });
        const collecting = collect(subscription, () => false);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await subscription.stop();
        await expect(withTimeout(collecting, 5_000)).resolves.toEqual({ events: [], caughtUp: 1 });
      });
    });
  });
}

async function drainAll(store: EventStore, filter: { eventTypes?: string[]; streamNamePrefixes?: string[] }): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ fromPosition: from, maxCount: 500, filter });
    events.push(...page);
    if (page.length < 500) return events;
    from = page[page.length - 1].position;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

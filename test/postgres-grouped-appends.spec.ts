import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, PostgresEventStore, WrongExpectedVersionError, decodePosition } from '@app/eventstore';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Appends that queue up behind busy ones are committed together (AppendQueue + es_append_many).
 * With one append slot, everything issued while the first append runs goes in one group, so these
 * tests see what a caller relies on when its append is grouped with others: its own outcome.
 */
describe('PostgreSQL grouped appends', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const event = (type = 'Grouped', id: string = randomUUID()) => ({ id, type, data: { type } });

  beforeAll(async () => {
    database = await createTestDatabase('grouped');
    store = new PostgresEventStore({ connectionString: database.url, appendConcurrency: 1 });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('keeps appends to one stream in the order they were made within a group', async () => {
    const stream = `order-${randomUUID()}`;
    const results = await Promise.all([
      store.appendToStream(`busy-${randomUUID()}`, [event()]),
      store.appendToStream(stream, [event('First')], { expectedRevision: 'no_stream' }),
      store.appendToStream(stream, [event('Second')], { expectedRevision: 0n }),
      store.appendToStream(stream, [event('Third'), event('Fourth')], { expectedRevision: 1n }),
    ]);
    expect(results.slice(1).map((r) => r.nextExpectedRevision)).toEqual([0n, 1n, 3n]);
    // The three that waited for the busy one went out in one transaction: one commit for all.
    expect(new Set(results.slice(1).map((r) => decodePosition(r.position).major)).size).toBe(1);
    expect(decodePosition(results[0].position).major).not.toBe(decodePosition(results[1].position).major);
    const events = await store.readStream(stream);
    expect(events.map((e) => e.type)).toEqual(['First', 'Second', 'Third', 'Fourth']);
  });

  it('gives each racing append at one expected revision its own answer: one wins, the rest conflict', async () => {
    const stream = `race-${randomUUID()}`;
    await store.appendToStream(stream, [event()]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => store.appendToStream(stream, [event('Racer')], { expectedRevision: 0n })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.reason).toBeInstanceOf(WrongExpectedVersionError);
      expect(loser.reason).toMatchObject({ expected: 0n, actual: 1n });
    }
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('fails only the append that reuses an event id of another stream; the others in its group commit', async () => {
    const taken = randomUUID();
    await store.appendToStream(`owner-${randomUUID()}`, [event('Owner', taken)]);
    const streams = Array.from({ length: 5 }, () => `bystander-${randomUUID()}`);
    const thief = `thief-${randomUUID()}`;
    const outcomes = await Promise.allSettled([
      store.appendToStream(`busy-${randomUUID()}`, [event()]),
      ...streams.slice(0, 2).map((s) => store.appendToStream(s, [event()])),
      store.appendToStream(thief, [event('Thief', taken)]),
      ...streams.slice(2).map((s) => store.appendToStream(s, [event()])),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    for (const s of streams) expect(await store.readStream(s)).toHaveLength(1);
    expect(await store.readStream(thief)).toHaveLength(0);
  });

  it('answers a re-append of the same event ids in the same group idempotently', async () => {
    const stream = `idem-${randomUUID()}`;
    const same = [event('Once')];
    const [, first, again] = await Promise.all([
      store.appendToStream(`busy-${randomUUID()}`, [event()]),
      store.appendToStream(stream, same),
      store.appendToStream(stream, same),
    ]);
    expect(again).toEqual(first);
    expect(await store.readStream(stream)).toHaveLength(1);
  });
});

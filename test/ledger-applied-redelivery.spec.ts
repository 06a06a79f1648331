import { randomUUID } from 'node:crypto';
import { CommandRunner, type Recorded } from '@app/core';
import { PostgresEventStore } from '@app/eventstore';
import type { LedgerPostingAccepted, LedgerPostingApplied } from '@app/ledger/contract';
import { RecordPostingsAppliedCommand } from '../libs/ledger/src/application/record-posting-applied/record-posting-applied.command';
import { RecordPostingsAppliedHandler } from '../libs/ledger/src/application/record-posting-applied/record-posting-applied.handler';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** An accepted posting as the log recorded it (only what recording its application reads). */
function accepted(n: number): Recorded<LedgerPostingAccepted> {
  const traceKey = randomUUID();
  return {
    id: randomUUID(),
    type: 'LedgerPostingAccepted',
    data: { postingId: randomUUID(), traceKey, branch: 'B1', account: `A${n}`, dateRef: '2026-11-10' },
    streamName: `ledger-posting-${traceKey}`,
    revision: 0n,
    position: `${String(n).padStart(16, '0')}-0000000000000000`,
    metadata: {},
    recordedAt: new Date(),
  } as unknown as Recorded<LedgerPostingAccepted>;
}

/**
 * Recording applied postings a batch at a time stays once per posting when the reaction's batches
 * are delivered again, cut the same way or, after a crash, at other bounds.
 */
describe('ledger: recording applied postings again', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let handler: RecordPostingsAppliedHandler;

  beforeAll(async () => {
    database = await createTestDatabase('ledger_applied');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 4 });
    handler = new RecordPostingsAppliedHandler(new CommandRunner(store), { now: () => new Date('2026-11-10T12:00:00.000Z') });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const appliedTraceKeys = async () =>
    (await store.readAll({ filter: { eventTypes: ['LedgerPostingApplied'] } })).map((event) => (event.data as LedgerPostingApplied['data']).traceKey);

  it('records each posting of a batch once, in one stream; the same batch again records nothing; a batch cut at other bounds records only the new ones', async () => {
    const [a, b, c, d] = [1, 2, 3, 4].map(accepted);
    await handler.execute(new RecordPostingsAppliedCommand([a, b]));
    const first = await store.readAll({ filter: { eventTypes: ['LedgerPostingApplied'] } });
    expect(new Set(first.map((event) => event.streamName)).size).toBe(1);
    expect(first.map((event) => event.data)).toEqual([
      { postingId: a.data.postingId, traceKey: a.data.traceKey, branch: 'B1', account: 'A1', dateRef: '2026-11-10', appliedAt: '2026-11-10T12:00:00.000Z' },
      { postingId: b.data.postingId, traceKey: b.data.traceKey, branch: 'B1', account: 'A2', dateRef: '2026-11-10', appliedAt: '2026-11-10T12:00:00.000Z' },
    ]);

    await handler.execute(new RecordPostingsAppliedCommand([a, b]));
    expect(await appliedTraceKeys()).toEqual([a.data.traceKey, b.data.traceKey]);

    await handler.execute(new RecordPostingsAppliedCommand([b, c, d]));
    expect((await appliedTraceKeys()).sort()).toEqual([a, b, c, d].map((p) => p.data.traceKey).sort());
  });
});

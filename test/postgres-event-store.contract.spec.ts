import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@app/eventstore';
import { describeEventStoreContract } from './contract/event-store.contract';
import { appendInOpenTransaction } from './support/open-transaction';
import { createTestDatabase } from './support/test-database';

describeEventStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('contract');
  const store = new PostgresEventStore({ connectionString: database.url, poolSize: 25 });
  return {
    store,
    appendInOpenTransaction: (stream, events) => appendInOpenTransaction(database.url, stream, events),
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
});

describe('PostgreSQL event store: headPosition with a filter', () => {
  it('is exactly the last event that matches, whatever comes after it, and null when none does', async () => {
    const database = await createTestDatabase('head_filter');
    const store = new PostgresEventStore({ connectionString: database.url, poolSize: 2 });
    try {
      const event = (type: string) => ({ id: randomUUID(), type, data: {}, metadata: {} });
      expect(await store.headPosition({ eventTypes: ['Wanted'] })).toBeNull();
      await store.appendToStream('users-1', [event('Wanted')]);
      const wanted = await store.appendToStream('users-2', [event('Other'), event('AlsoWanted')]);
      await store.appendToStream('tasks-1', [event('Other'), event('Wanted')]);
      await store.appendToStream('tasks-2', [event('Other')]);
      expect(await store.headPosition({ eventTypes: ['Wanted', 'AlsoWanted'], streamNamePrefixes: ['users-'] })).toBe(wanted.position);
      expect(await store.headPosition({ eventTypes: ['AlsoWanted'] })).toBe(wanted.position);
      expect(await store.headPosition({ eventTypes: ['Missing'] })).toBeNull();
    } finally {
      await store.close();
      await database.drop();
    }
  });
});

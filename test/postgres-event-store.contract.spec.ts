import { Client } from 'pg';
import { PostgresEventStore } from '@app/eventstore';
import { describeEventStoreContract } from './contract/event-store.contract';
import { createTestDatabase } from './support/test-database';

describeEventStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('contract');
  const store = new PostgresEventStore({ connectionString: database.url, poolSize: 25 });
  return {
    store,
    async appendInOpenTransaction(stream, events) {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      await client.query('begin');
      await client.query('select * from es_append($1, $2, $3, $4, $5, $6)', [
        stream,
        'any',
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata ?? {})),
      ]);
      return {
        async commit() {
          await client.query('commit');
          await client.query(`select pg_notify('es_appended', '')`);
          await client.end();
        },
      };
    },
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
});

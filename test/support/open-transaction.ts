import { Client } from 'pg';
import type { EventData } from '@app/eventstore';

/**
 * Appends through `es_append` in a transaction left open until `commit()`: a writer that took its
 * transaction id (its place in the log) before others committed, and commits after them.
 */
export async function appendInOpenTransaction(databaseUrl: string, stream: string, events: readonly EventData[]): Promise<{ commit(): Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl });
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
}

import type { EventStore, Position } from '@app/eventstore';
import { loadConfig } from '@app/core/config/config';
import { createEventStore } from '@app/core/nest/event-store.factory';
import {
  getPostgreSQLEventStore,
  postgreSQLEventStoreMessageBatchPuller,
  readMessagesBatch,
} from '@event-driven-io/emmett-postgresql';
import { dumbo } from '@event-driven-io/dumbo';
import type { ContenderApi } from './protocol';

/** One event as the benchmark writes it: the same id, type, data and metadata go to both stores. */
export interface BenchEvent {
  id: string;
  type: string;
  data: { accountId: string; amount: number; currency: string; note: string };
  metadata: { correlationId: string; causationId: string; userId: string };
}

/** The operations the scenarios time, each done through the store's own public API. */
export interface Contender {
  readonly api: ContenderApi;
  append(streamName: string, events: readonly BenchEvent[]): Promise<void>;
  /** Reads the whole log in pages of `pageSize`; resolves with the id of every event read, in order. */
  readAll(pageSize: number): Promise<string[]>;
  /** Consumes the log from the start until caught up; resolves with the id of every event delivered. */
  catchUp(batchSize: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Our PostgreSQL adapter, built by the same factory and configuration (EVENT_STORE_POOL_SIZE and
 * friends, with their defaults) as the running platform, so the benchmark measures what ships.
 * EVENT_STORE is pinned: this is the PostgreSQL store's benchmark whatever the shell selects.
 */
export async function ourStore(connectionString: string): Promise<Contender> {
  const config = loadConfig({ ...process.env, EVENT_STORE: 'postgres' });
  const store: EventStore = createEventStore(config, connectionString);
  await store.ping();
  return {
    api: {
      append: 'EventStore.appendToStream(stream, events)',
      readAll: 'EventStore.readAll({ fromPosition, maxCount }) page after page',
      catchUp: "EventStore.subscribeToAll({ fromPosition: 'start' }) until its caughtUp message",
      pool: `pg.Pool of ${config.eventStorePoolSize} (EVENT_STORE_POOL_SIZE, as configured)`,
    },
    async append(streamName, events) {
      await store.appendToStream(streamName, events);
    },
    async readAll(pageSize) {
      let from: Position | 'start' = 'start';
      const ids: string[] = [];
      for (;;) {
        const page = await store.readAll({ fromPosition: from, maxCount: pageSize });
        for (const event of page) ids.push(event.id);
        if (page.length < pageSize) return ids;
        from = page[page.length - 1].position;
      }
    },
    async catchUp(batchSize) {
      const subscription = store.subscribeToAll({ fromPosition: 'start', maxBatchSize: batchSize });
      const ids: string[] = [];
      for await (const message of subscription) {
        if (message.type === 'caughtUp') break;
        for (const event of message.events) ids.push(event.id);
      }
      await subscription.stop();
      return ids;
    },
    close: () => store.close(),
  };
}

/**
 * Emmett's PostgreSQL event store with its defaults. Emmett has no "read all" on the store, so the
 * log is read with the two functions its consumers are built from: `readMessagesBatch` for pages
 * and `postgreSQLEventStoreMessageBatchPuller` for catching up, the loop behind
 * `eventStore.consumer()` without a processor, which would also write a checkpoint per event (our
 * `subscribeToAll` writes none). Both run on dumbo's pool for the same connection string, which
 * dumbo caches, so they share the store's connections as its consumer does.
 */
export async function emmettStore(connectionString: string): Promise<Contender> {
  const store = getPostgreSQLEventStore(connectionString);
  await store.schema.migrate();
  const pool = dumbo({ connectionString });
  return {
    api: {
      append: 'getPostgreSQLEventStore(url).appendToStream(stream, events)',
      readAll: 'readMessagesBatch(execute, { after, batchSize }) page after page',
      catchUp:
        "postgreSQLEventStoreMessageBatchPuller({ batchSize, pullingFrequencyInMs: 0, stopWhen: { noMessagesLeft: true } })" +
        ".start({ startFrom: 'BEGINNING' })",
      pool: "dumbo's pg.Pool with pg's default of 10 (Emmett's default)",
    },
    async append(streamName, events) {
      await store.appendToStream(
        streamName,
        events.map((event) => ({ type: event.type, data: event.data, metadata: { ...event.metadata, messageId: event.id } })),
      );
    },
    async readAll(pageSize) {
      let after = 0n;
      const ids: string[] = [];
      for (;;) {
        const batch = await readMessagesBatch(pool.execute, { after, batchSize: pageSize });
        for (const message of batch.messages) ids.push(message.metadata.messageId);
        if (!batch.areMessagesLeft) return ids;
        after = batch.currentGlobalPosition;
      }
    },
    async catchUp(batchSize) {
      const ids: string[] = [];
      // Emmett's defaults (100 events, then a 50 ms pause per batch) would cap it near 2,000 events/s;
      // no pause and the same batch size as ours measures its read path instead of its sleep.
      const puller = postgreSQLEventStoreMessageBatchPuller({
        executor: pool.execute,
        batchSize,
        pullingFrequencyInMs: 0,
        stopWhen: { noMessagesLeft: true },
        signal: new AbortController().signal,
        eachBatch: (messages) => {
          for (const message of messages) ids.push(message.metadata.messageId);
        },
      });
      await puller.start({ startFrom: 'BEGINNING' });
      return ids;
    },
    async close() {
      await pool.close();
      await store.close();
    },
  };
}

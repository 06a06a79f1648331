import { type EventStore, EventStoreDbEventStore, PostgresEventStore } from '@app/eventstore';
import type { PlatformConfig } from '../config/config';
import { ConfigError } from '../config/env';

/**
 * The event store adapter `EVENT_STORE` selects. Read models and checkpoints stay in PostgreSQL
 * (`databaseUrl`) either way; only the event log moves to EventStoreDB.
 */
export function createEventStore(config: PlatformConfig, databaseUrl: string): EventStore {
  if (config.eventStore === 'eventstoredb') {
    if (!config.eventStoreConnectionString) throw new ConfigError('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING');
    return new EventStoreDbEventStore({ connectionString: config.eventStoreConnectionString });
  }
  return new PostgresEventStore({
    connectionString: databaseUrl,
    poolSize: config.eventStorePoolSize,
    appendConcurrency: config.eventStoreAppendConcurrency,
    pollIntervalMs: config.pollIntervalMs,
  });
}

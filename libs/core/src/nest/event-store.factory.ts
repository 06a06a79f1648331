import { type EventStore, PostgresEventStore } from '@app/eventstore';
import type { PlatformConfig } from '../config/config';

/** The event store adapter `EVENT_STORE` selects. */
export function createEventStore(config: PlatformConfig, databaseUrl: string): EventStore {
  return new PostgresEventStore({
    connectionString: databaseUrl,
    poolSize: config.eventStorePoolSize,
    pollIntervalMs: config.pollIntervalMs,
  });
}

import { EventStoreDbEventStore } from '@app/eventstore';
import { describeEventStoreContract } from './contract/event-store.contract';

/**
 * The contract suite against a real EventStoreDB or KurrentDB (`npm run test:eventstoredb`).
 * The server is shared: each test writes under its own stream-name prefix and reads `$all` and
 * subscribes filtered on it, so tests never see each other's events or earlier runs'.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract(
    'EventStoreDB',
    async () => {
      const store = new EventStoreDbEventStore({ connectionString });
      await store.ping();
      return { store, cleanup: () => store.close() };
    },
    { eventIdReuseAcrossStreams: 'EventStoreDB checks event ids within one stream only' },
  );
} else {
  it.skip('EventStoreDB contract suite skipped: EVENTSTORE_CONNECTION_STRING is not set', () => undefined);
}

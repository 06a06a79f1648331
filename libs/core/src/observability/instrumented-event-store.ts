import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  Position,
  ReadAllBackwardsOptions,
  ReadAllOptions,
  ReadStreamOptions,
  StreamRead,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@app/eventstore';
import type { Histogram } from 'prom-client';

/** The event store, timing every append into a histogram; everything else passes straight through. */
export class InstrumentedEventStore implements EventStore {
  constructor(
    readonly inner: EventStore,
    private readonly appendDuration: Histogram,
  ) {}

  async appendToStream(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    const end = this.appendDuration.startTimer();
    try {
      return await this.inner.appendToStream(streamName, events, options);
    } finally {
      end();
    }
  }
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamName, options);
  }

  readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    return this.inner.readStreams(reads);
  }
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }
  readAllBackwards(options?: ReadAllBackwardsOptions): Promise<RecordedEvent[]> {
    return this.inner.readAllBackwards(options);
  }
  readEvent(eventId: string): Promise<RecordedEvent | null> {
    return this.inner.readEvent(eventId);
  }
  readCausedBy(cause: Pick<RecordedEvent, 'id' | 'position'>, maxCount?: number): Promise<RecordedEvent[]> {
    return this.inner.readCausedBy(cause, maxCount);
  }
  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }
  headPosition(filter?: EventFilter): Promise<Position | null> {
    return this.inner.headPosition(filter);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

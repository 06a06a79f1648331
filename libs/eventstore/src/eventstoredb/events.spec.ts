import type { AllStreamJSONRecordedEvent } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import type { EventData } from '../event-store';
import { fromClientEvent, MissingPositionError, toClientEvent } from './events';

/** What the client hands back for an event it stored: the JSON it sent, parsed again. */
function stored(event: EventData, overrides: Partial<AllStreamJSONRecordedEvent> = {}): AllStreamJSONRecordedEvent {
  const sent = toClientEvent(event);
  return {
    streamId: 'orders-1',
    id: sent.id,
    isJson: true,
    revision: 4n,
    type: sent.type,
    created: new Date('2026-01-02T03:04:05.678Z'),
    data: JSON.parse(JSON.stringify(sent.data)),
    metadata: JSON.parse(JSON.stringify(sent.metadata)),
    position: { commit: 4242n, prepare: 4242n },
    ...overrides,
  } as AllStreamJSONRecordedEvent;
}

describe('EventStoreDB event conversion', () => {
  const original: EventData = {
    id: randomUUID(),
    type: 'Order.Placed',
    data: { text: 'é "quoted" \\ back', nested: { list: [1, 2.5, null, true] }, big: '12345678901234567890' },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), userId: 'u-1', traceKey: 't', schemaVersion: 2 },
  };

  it('appends JSON events with our id, type, data and metadata', () => {
    expect(toClientEvent(original)).toEqual({
      id: original.id,
      contentType: 'application/json',
      type: 'Order.Placed',
      data: original.data,
      metadata: original.metadata,
    });
  });

  it('stores absent data as null and absent metadata as {}, as PostgreSQL does', () => {
    expect(toClientEvent({ id: original.id, type: 'Empty', data: undefined })).toMatchObject({ data: null, metadata: {} });
  });

  it('reads back id, type, data and metadata unchanged, with stream, revision, position and time', () => {
    const event = fromClientEvent(stored(original));
    expect({ id: event.id, type: event.type, data: event.data, metadata: event.metadata }).toEqual(original);
    expect(event).toMatchObject({
      streamName: 'orders-1',
      revision: 4n,
      position: '0000000000001092-0000000000001092',
      recordedAt: new Date('2026-01-02T03:04:05.678Z'),
    });
  });

  it('reads metadata that is missing or not a JSON object (other writers) as empty', () => {
    expect(fromClientEvent(stored(original, { metadata: undefined })).metadata).toEqual({});
    expect(fromClientEvent(stored(original, { metadata: new Uint8Array([1, 2]) as never })).metadata).toEqual({});
    expect(fromClientEvent(stored(original, { metadata: ['a'] as never })).metadata).toEqual({});
  });

  it('refuses an event whose $all position the server did not report, saying why', () => {
    const unknown = (1n << 64n) - 1n;
    const read = () => fromClientEvent(stored(original, { position: { commit: unknown, prepare: unknown } }));
    expect(read).toThrow(MissingPositionError);
    expect(read).toThrow('no $all position for event 4 of stream "orders-1"');
  });
});

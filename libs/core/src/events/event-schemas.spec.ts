import type { RecordedEvent } from '@app/eventstore';
import { EventSchemaRegistry } from './event-schemas';

function stored(data: unknown, schemaVersion?: number): RecordedEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type: 'GuestInvited',
    data,
    metadata: schemaVersion === undefined ? {} : { schemaVersion },
    streamName: 'party-1',
    revision: 0n,
    position: '0000000000000001-0000000000000001',
    recordedAt: new Date('2026-01-01T00:00:00Z'),
  };
}

describe('EventSchemaRegistry', () => {
  const registry = new EventSchemaRegistry().register({
    type: 'GuestInvited',
    version: 3,
    upcasters: {
      1: (data: { name: string }) => ({ fullName: data.name }),
      2: (data: { fullName: string }) => ({ firstName: data.fullName.split(' ')[0], lastName: data.fullName.split(' ')[1] }),
    },
  });

  it('stamps new events with the current schema version', () => {
    expect(registry.stamp('GuestInvited', { correlationId: 'c' })).toEqual({ correlationId: 'c', schemaVersion: 3 });
    expect(registry.stamp('Unregistered', {})).toEqual({ schemaVersion: 1 });
  });

  it('lifts a stored event through every upcaster up to the current version, without touching the original', () => {
    const old = stored({ name: 'Ada Lovelace' });
    const upcast = registry.upcast(old);
    expect(upcast.data).toEqual({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(upcast.metadata.schemaVersion).toBe(3);
    expect(old.data).toEqual({ name: 'Ada Lovelace' });
  });

  it('starts from the stored version and leaves current events alone', () => {
    expect(registry.upcast(stored({ fullName: 'Grace Hopper' }, 2)).data).toEqual({ firstName: 'Grace', lastName: 'Hopper' });
    const current = stored({ firstName: 'Alan', lastName: 'Turing' }, 3);
    expect(registry.upcast(current)).toBe(current);
  });

  it('refuses a schema with a gap in its upcasters at registration, not at replay', () => {
    expect(() => new EventSchemaRegistry().register({ type: 'X', version: 3, upcasters: { 1: (d) => d } })).toThrow('Event X v3 has no upcaster from v2');
  });
});

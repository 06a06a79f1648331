import type { EventMetadata, RecordedEvent } from '@app/eventstore';

/** Turns the data of version `n` of an event type into version `n + 1`. Pure. */
export type Upcaster = (data: any, event: RecordedEvent) => unknown;

export interface EventSchema {
  type: string;
  /** The version new events are written with. */
  version: number;
  /** `upcasters[n]` lifts version n to n + 1, for every n below `version`. */
  upcasters?: Record<number, Upcaster>;
}

/**
 * Every event type with its schema version. Events are stamped with the current version when
 * written, and older stored versions are upcast on read, so no stored event is ever rewritten.
 */
export class EventSchemaRegistry {
  private readonly schemas = new Map<string, EventSchema>();

  register(...schemas: EventSchema[]): this {
    for (const schema of schemas) {
      for (let v = 1; v < schema.version; v++) {
        if (!schema.upcasters?.[v]) throw new Error(`Event ${schema.type} v${schema.version} has no upcaster from v${v}`);
      }
      this.schemas.set(schema.type, schema);
    }
    return this;
  }

  versionOf(type: string): number {
    return this.schemas.get(type)?.version ?? 1;
  }

  stamp(type: string, metadata: EventMetadata): EventMetadata {
    return { ...metadata, schemaVersion: this.versionOf(type) };
  }

  upcast<E extends RecordedEvent>(event: E): E {
    const schema = this.schemas.get(event.type);
    let version = Number(event.metadata.schemaVersion ?? 1);
    if (!schema || version >= schema.version) return event;
    let data = event.data;
    while (version < schema.version) {
      data = schema.upcasters![version](data, event);
      version++;
    }
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}

import type { Position } from '@app/eventstore';

interface Entry {
  state: unknown;
  revision: bigint;
  /** Position of the stream's last event folded in. */
  position: Position;
}

/** A bounded least-recently-used map of folded stream state, keyed by decider and stream. */
export class StateCache {
  private readonly entries = new Map<string, Entry>();
  private readonly deciderKeys = new WeakMap<object, string>();
  private nextDeciderKey = 0;

  constructor(private readonly capacity: number) {}

  get<State>(decider: object, streamName: string): (Entry & { state: State }) | undefined {
    const key = this.key(decider, streamName);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry as Entry & { state: State };
  }

  set(decider: object, streamName: string, entry: Entry): void {
    if (this.capacity === 0) return;
    const key = this.key(decider, streamName);
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  private key(decider: object, streamName: string): string {
    let id = this.deciderKeys.get(decider);
    if (!id) {
      id = String(this.nextDeciderKey++);
      this.deciderKeys.set(decider, id);
    }
    return `${id}:${streamName}`;
  }
}

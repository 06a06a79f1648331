/**
 * An immutable set that only grows, for decider state that remembers ids (the transactions an
 * account day holds): `add` returns a new set and leaves this one as it was, like
 * `new Set(old).add(id)`, but in O(1) when it extends the newest version, as a fold does. Versions
 * share one insertion-ordered map of id to ordinal; a version sees the ids below its size. Adding
 * to an older version (a branch) copies its ids first, so no version ever sees another's.
 */
export class GrowOnlySet<T> {
  private constructor(
    private readonly ordinals: Map<T, number>,
    readonly size: number,
  ) {}

  static empty<T>(): GrowOnlySet<T> {
    return new GrowOnlySet(new Map(), 0);
  }

  has(value: T): boolean {
    const ordinal = this.ordinals.get(value);
    return ordinal !== undefined && ordinal < this.size;
  }

  add(value: T): GrowOnlySet<T> {
    if (this.has(value)) return this;
    // The newest version extends the shared map; an older one branches off a copy of its own ids.
    const ordinals = this.ordinals.size === this.size ? this.ordinals : new Map([...this.ordinals].filter(([, ordinal]) => ordinal < this.size));
    ordinals.set(value, this.size);
    return new GrowOnlySet(ordinals, this.size + 1);
  }
}

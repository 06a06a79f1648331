const BUCKETS = 256;

/** FNV-1a over the key's UTF-16 units, to one of the buckets. */
function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKETS;
}

/**
 * An immutable map from strings, for a decider's state that holds thousands of entries (a show's
 * reservations): `set` returns a new map that shares all but one of its buckets with the old one,
 * so evolving the state by one event copies about size / 256 entries, not the whole map, and the
 * state before it stays as it was (a decision that lost its append is simply dropped).
 */
export class PersistentMap<V> {
  private constructor(
    private readonly buckets: readonly (ReadonlyMap<string, V> | undefined)[],
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(new Array(BUCKETS).fill(undefined), 0);
  }

  get(key: string): V | undefined {
    return this.buckets[bucketOf(key)]?.get(key);
  }

  has(key: string): boolean {
    return this.buckets[bucketOf(key)]?.has(key) ?? false;
  }

  set(key: string, value: V): PersistentMap<V> {
    const index = bucketOf(key);
    const bucket = new Map(this.buckets[index]);
    const added = bucket.has(key) ? 0 : 1;
    bucket.set(key, value);
    const buckets = this.buckets.slice();
    buckets[index] = bucket;
    return new PersistentMap(buckets, this.size + added);
  }

  *values(): IterableIterator<V> {
    for (const bucket of this.buckets) if (bucket) yield* bucket.values();
  }
}

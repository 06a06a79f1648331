import { InvalidPositionError } from '../position';
import { fromClientPosition, isKnownPosition, toClientPosition } from './positions';

/** A seeded xorshift generator of 64-bit values, so that a failure can be replayed. */
function* randomU64(seed: bigint): Generator<bigint> {
  const mask = (1n << 64n) - 1n;
  let x = seed;
  for (;;) {
    x ^= (x << 13n) & mask;
    x ^= x >> 7n;
    x ^= (x << 17n) & mask;
    yield x;
  }
}

/** Commit/prepare pairs of every size: tiny, large, equal parts, and shared commits with different prepares. */
function samplePairs(count: number): Array<{ commit: bigint; prepare: bigint }> {
  const random = randomU64(0x9e3779b97f4a7c15n);
  const next = () => random.next().value as bigint;
  const pairs: Array<{ commit: bigint; prepare: bigint }> = [];
  for (let i = 0; i < count; i++) {
    const bits = BigInt(1 + (i % 64));
    const commit = next() >> (64n - bits);
    const prepare = i % 3 === 0 ? commit : next() >> (64n - BigInt(1 + ((i * 7) % 64)));
    pairs.push({ commit, prepare });
    if (i % 5 === 0) pairs.push({ commit, prepare: prepare >> 1n });
  }
  return pairs;
}

function logOrder(a: { commit: bigint; prepare: bigint }, b: { commit: bigint; prepare: bigint }): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare < b.prepare ? -1 : a.prepare > b.prepare ? 1 : 0;
}

describe('EventStoreDB positions', () => {
  const pairs = samplePairs(2000);

  it('round-trip commit and prepare through our position string unchanged', () => {
    for (const pair of pairs) expect(toClientPosition(fromClientPosition(pair))).toEqual(pair);
  });

  it('compare as plain strings in the order EventStoreDB logs them (commit, then prepare)', () => {
    const byLog = [...pairs].sort(logOrder).map(fromClientPosition);
    const byString = pairs.map(fromClientPosition).sort();
    expect(byString).toEqual(byLog);
  });

  it('cover the full unsigned 64-bit range at both ends', () => {
    const max = (1n << 64n) - 2n;
    expect(fromClientPosition({ commit: 0n, prepare: 0n })).toBe('0000000000000000-0000000000000000');
    expect(fromClientPosition({ commit: max, prepare: 1n })).toBe('fffffffffffffffe-0000000000000001');
    expect(fromClientPosition({ commit: 1n, prepare: max }) < fromClientPosition({ commit: 2n, prepare: 0n })).toBe(true);
  });

  it('refuse a string that is not one of our positions', () => {
    expect(() => toClientPosition('12345/67')).toThrow(InvalidPositionError);
  });

  it('know when the server did not report where an event sits in $all', () => {
    const unknown = (1n << 64n) - 1n;
    expect(isKnownPosition(undefined)).toBe(false);
    expect(isKnownPosition({ commit: unknown, prepare: unknown })).toBe(false);
    expect(isKnownPosition({ commit: 0n, prepare: 0n })).toBe(true);
    expect(isKnownPosition({ commit: 4096n, prepare: 4096n })).toBe(true);
  });
});

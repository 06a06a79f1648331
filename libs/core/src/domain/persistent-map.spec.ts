import { PersistentMap } from './persistent-map';

describe('PersistentMap', () => {
  it('keeps every version: a set leaves the map it was called on as it was', () => {
    const empty = PersistentMap.empty<number>();
    const one = empty.set('a', 1);
    const two = one.set('b', 2).set('a', 3);
    expect([empty.get('a'), empty.size]).toEqual([undefined, 0]);
    expect([one.get('a'), one.get('b'), one.size]).toEqual([1, undefined, 1]);
    expect([two.get('a'), two.get('b'), two.size, two.has('b')]).toEqual([3, 2, 2, true]);
  });

  it('holds thousands of keys, each with its last value', () => {
    let map = PersistentMap.empty<number>();
    for (let i = 0; i < 5000; i++) map = map.set(`key-${i % 3000}`, i);
    expect(map.size).toBe(3000);
    expect(map.get('key-10')).toBe(3010);
    expect(map.get('key-2999')).toBe(2999);
    expect([...map.values()].length).toBe(3000);
  });
});

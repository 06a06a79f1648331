import { GrowOnlySet } from './grow-only-set';

describe('GrowOnlySet', () => {
  it('adds without changing the version it was added to', () => {
    const empty = GrowOnlySet.empty<string>();
    const a = empty.add('a');
    const ab = a.add('b');
    expect([empty.has('a'), a.has('a'), a.has('b'), ab.has('a'), ab.has('b')]).toEqual([false, true, false, true, true]);
    expect([empty.size, a.size, ab.size]).toEqual([0, 1, 2]);
  });

  it('keeps branches apart: two additions to one version see only their own', () => {
    const a = GrowOnlySet.empty<string>().add('a');
    const ab = a.add('b');
    const ac = a.add('c');
    expect([ab.has('b'), ab.has('c'), ac.has('b'), ac.has('c'), a.has('b'), a.has('c')]).toEqual([true, false, false, true, false, false]);
    // Each branch goes on growing on its own.
    const abd = ab.add('d');
    const ace = ac.add('e');
    expect([abd.has('e'), ace.has('d'), abd.has('c'), ace.has('b')]).toEqual([false, false, false, false]);
    expect([abd.has('a'), abd.has('b'), abd.has('d'), ace.has('a'), ace.has('c'), ace.has('e')]).toEqual([true, true, true, true, true, true]);
  });

  it('adding an id it holds changes nothing', () => {
    const a = GrowOnlySet.empty<string>().add('a');
    expect(a.add('a')).toBe(a);
  });

  it('holds a long history, each version its own ids (a day of 100,000 transactions)', () => {
    let set = GrowOnlySet.empty<number>();
    for (let i = 0; i < 100_000; i++) set = set.add(i);
    expect(set.size).toBe(100_000);
    expect(set.has(99_999) && set.has(0) && !set.has(100_000)).toBe(true);
  });
});

import { assignSeats, bestAvailable, emptySeats, holderAt, locate, type SectionSeats } from './seat-map';

/** A 10.00 section of two rows of five, and a 25.00 one of one row of three. */
const empty = (): SectionSeats[] =>
  emptySeats([
    { name: 'A', priceCents: 1000, rows: [{ name: '1', seats: 5 }, { name: '2', seats: 5 }] },
    { name: 'B', priceCents: 2500, rows: [{ name: '1', seats: 3 }] },
  ]);

/** Freezes the whole map, so any write to it (in strict mode) throws. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function holders(sections: readonly SectionSeats[]): Record<string, (string | null)[]> {
  return Object.fromEntries(sections.flatMap((s) => s.rows.map((r) => [`${s.name}-${r.name}`, [...r.holders]])));
}

describe('seat map', () => {
  it('an empty map has every seat free, counted per row and section', () => {
    const map = empty();
    expect(map.map((s) => [s.name, s.priceCents, s.free, s.rows.map((r) => r.free)])).toEqual([
      ['A', 1000, 10, [5, 5]],
      ['B', 2500, 3, [3]],
    ]);
  });

  it('locates seats on the map and nothing else', () => {
    const map = empty();
    expect(locate(map, 'A-2-5')).toEqual({ section: 0, row: 1, seat: 4 });
    expect(locate(map, 'B-1-1')).toEqual({ section: 1, row: 0, seat: 0 });
    for (const id of ['A-1-6', 'A-3-1', 'C-1-1', 'A-1-0', 'A-1-01', 'A-1', 'A-1-1-1', 'a-1-1', 'A-1-x', '']) expect(locate(map, id)).toBeNull();
  });

  describe('assignSeats', () => {
    it('gives seats to a holder, counting them off their rows and sections, and leaves the map it was given as it was', () => {
      const before = deepFreeze(empty());
      const copy = JSON.parse(JSON.stringify(before));
      const after = assignSeats(before, ['A-1-2', 'A-2-1', 'A-1-3'], 'r1');
      expect(JSON.parse(JSON.stringify(before))).toEqual(copy);
      expect(holders(after)).toEqual({ 'A-1': [null, 'r1', 'r1', null, null], 'A-2': ['r1', null, null, null, null], 'B-1': [null, null, null] });
      expect(after[0].free).toBe(7);
      expect(after[0].rows.map((r) => r.free)).toEqual([3, 4]);
      expect(holderAt(after, locate(after, 'A-1-2')!)).toBe('r1');
    });

    it('frees seats (holder null), counting them back, without touching the map it was given', () => {
      const held = deepFreeze(assignSeats(empty(), ['A-1-1', 'A-1-2', 'B-1-3'], 'r1'));
      const copy = JSON.parse(JSON.stringify(held));
      const freed = assignSeats(held, ['A-1-2', 'B-1-3'], null);
      expect(JSON.parse(JSON.stringify(held))).toEqual(copy);
      expect(holders(freed)).toEqual({ 'A-1': ['r1', null, null, null, null], 'A-2': [null, null, null, null, null], 'B-1': [null, null, null] });
      expect([freed[0].free, freed[1].free, freed[0].rows[0].free]).toEqual([9, 3, 4]);
    });

    it('shares what it does not touch: another section, another row', () => {
      const before = deepFreeze(empty());
      const after = assignSeats(before, ['A-1-1'], 'r1');
      expect(after).not.toBe(before);
      expect(after[1]).toBe(before[1]);
      expect(after[0].rows[1]).toBe(before[0].rows[1]);
      expect(after[0].rows[0]).not.toBe(before[0].rows[0]);
    });

    it('counts a seat once: the same id twice, a seat handed from one holder to another, a free seat freed', () => {
      const twice = assignSeats(empty(), ['A-1-1', 'A-1-1'], 'r1');
      expect([twice[0].free, twice[0].rows[0].free]).toEqual([9, 4]);
      const handed = assignSeats(twice, ['A-1-1'], 'r2');
      expect([handed[0].free, holderAt(handed, { section: 0, row: 0, seat: 0 })]).toEqual([9, 'r2']);
      const freedTwice = assignSeats(assignSeats(handed, ['A-1-1'], null), ['A-1-1'], null);
      expect([freedTwice[0].free, freedTwice[0].rows[0].free]).toEqual([10, 5]);
    });

    it('ignores ids that are not on the map', () => {
      const before = deepFreeze(empty());
      const after = assignSeats(before, ['Z-1-1', 'A-9-1', 'A-1-6'], 'r1');
      expect(holders(after)).toEqual(holders(before));
      expect(after.map((s) => s.free)).toEqual([10, 3]);
    });
  });

  describe('bestAvailable', () => {
    const sectionA = (held: string[]): SectionSeats => deepFreeze(assignSeats(empty(), held, 'x'))[0];

    it('the leftmost run side by side in the front row that has one', () => {
      expect(bestAvailable(sectionA([]), 3)).toEqual(['A-1-1', 'A-1-2', 'A-1-3']);
      expect(bestAvailable(sectionA(['A-1-1']), 4)).toEqual(['A-1-2', 'A-1-3', 'A-1-4', 'A-1-5']);
      expect(bestAvailable(sectionA(['A-1-2']), 2)).toEqual(['A-1-3', 'A-1-4']);
      expect(bestAvailable(sectionA(['A-1-3']), 3)).toEqual(['A-2-1', 'A-2-2', 'A-2-3']);
      expect(bestAvailable(sectionA(['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5']), 5)).toEqual(['A-2-1', 'A-2-2', 'A-2-3', 'A-2-4', 'A-2-5']);
    });

    it('the first free seats from the front when no row has them side by side', () => {
      expect(bestAvailable(sectionA(['A-1-2', 'A-1-4', 'A-2-2', 'A-2-4']), 4)).toEqual(['A-1-1', 'A-1-3', 'A-1-5', 'A-2-1']);
      expect(bestAvailable(sectionA(['A-1-3', 'A-2-3']), 6)).toEqual(['A-1-1', 'A-1-2', 'A-1-4', 'A-1-5', 'A-2-1', 'A-2-2']);
    });

    it('every free seat when asked for all of them; null when fewer are free', () => {
      expect(bestAvailable(sectionA(['A-1-1', 'A-2-5']), 8)).toEqual(['A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1', 'A-2-2', 'A-2-3', 'A-2-4']);
      expect(bestAvailable(sectionA(['A-1-1', 'A-2-5']), 9)).toBeNull();
    });

    it('leaves the section as it was', () => {
      const section = sectionA(['A-1-3']);
      const copy = JSON.parse(JSON.stringify(section));
      bestAvailable(section, 3);
      bestAvailable(section, 7);
      expect(JSON.parse(JSON.stringify(section))).toEqual(copy);
    });
  });
});

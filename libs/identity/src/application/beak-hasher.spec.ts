import { BeakHasher } from './beak-hasher';

const beak = { length: 12.3, depth: 4.1, width: 3.2, curvature: 0.7 };

describe('beak hasher', () => {
  const hasher = new BeakHasher(1024);

  it('stores a salted scrypt hash that records its cost, never the beak', async () => {
    const first = await hasher.hash(beak);
    const second = await hasher.hash(beak);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('12.3');
  });

  it('matches the same beak after rounding to one decimal, and no other', async () => {
    const stored = await hasher.hash(beak);
    expect(await hasher.matches({ ...beak, length: 12.34 }, stored)).toBe(true);
    expect(await hasher.matches({ ...beak, length: 12.4 }, stored)).toBe(false);
    expect(await hasher.matches({ ...beak, depth: beak.width, width: beak.depth }, stored)).toBe(false);
  });

  it('still verifies hashes made with another cost', async () => {
    const stored = await new BeakHasher(2048).hash(beak);
    expect(await hasher.matches(beak, stored)).toBe(true);
  });

  it('says no, after the same work, when there is no hash to compare with', async () => {
    expect(await hasher.matches(beak, undefined)).toBe(false);
  });
});

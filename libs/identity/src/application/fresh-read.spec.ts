import { FreshRead } from './fresh-read';

describe('fresh read', () => {
  it('shares one read among the callers around it, but never answers a caller with a read begun before it called', async () => {
    let reads = 0;
    const pending: Array<() => void> = [];
    const read = new FreshRead(
      () =>
        new Promise<number>((resolve) => {
          const n = ++reads;
          pending.push(() => resolve(n));
        }),
    );
    const first = [read.get(), read.get()];
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(1);
    const later = [read.get(), read.get()];
    pending.shift()!();
    expect(await Promise.all(first)).toEqual([1, 1]);
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(2);
    pending.shift()!();
    expect(await Promise.all(later)).toEqual([2, 2]);
  });

  it('passes a failed read on to its callers, and reads again for the next', async () => {
    let fail = true;
    const read = new FreshRead(async () => {
      if (fail) throw new Error('database down');
      return 'ok';
    });
    await expect(read.get()).rejects.toThrow('database down');
    fail = false;
    expect(await read.get()).toBe('ok');
  });
});

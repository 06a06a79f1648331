import { AppendSignal } from './append-signal';

describe('AppendSignal', () => {
  it('wakes every waiting subscriber on one notify, not only some of them', async () => {
    const signal = new AppendSignal();
    const woken: number[] = [];
    const waits = Array.from({ length: 5 }, (_, i) => signal.next(signal.version, 60_000).then(() => woken.push(i)));
    signal.notify();
    await Promise.all(waits);
    expect(woken.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('returns at once when an append landed after the version was read', async () => {
    const signal = new AppendSignal();
    const seen = signal.version;
    signal.notify();
    await expect(signal.next(seen, 60_000)).resolves.toBeUndefined();
  });

  it('gives up waiting after the timeout', async () => {
    const signal = new AppendSignal();
    const started = Date.now();
    await signal.next(signal.version, 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});

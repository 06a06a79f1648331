import { BeakHashingBusy } from '../domain/identity.errors';
import { BeakHashSlots } from './beak-hash-slots';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('beak hash slots', () => {
  it('runs at most `concurrency` hashes at once, the rest in arrival order as slots free up', async () => {
    const slots = new BeakHashSlots(2, 10);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      slots.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    gates[1].resolve();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses beyond the queue with 503 SERVICE_UNAVAILABLE and a Retry-After, and frees the slot of a hash that failed', async () => {
    const slots = new BeakHashSlots(1, 1);
    const gate = deferred();
    const running = slots.run(() => gate.promise);
    const queued = slots.run(() => Promise.reject(new Error('scrypt failed')));
    await expect(slots.run(() => Promise.resolve())).rejects.toBeInstanceOf(BeakHashingBusy);
    await expect(slots.run(() => Promise.resolve())).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, retryAfterSeconds: expect.any(Number) });
    gate.resolve();
    await running;
    await expect(queued).rejects.toThrow('scrypt failed');
    expect(await slots.run(() => Promise.resolve('free again'))).toBe('free again');
  });
});

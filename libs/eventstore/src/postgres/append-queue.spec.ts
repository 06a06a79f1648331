import { AppendQueue, type AppendRequest, type AppendRow } from './append-queue';

const ok = (revision: number): AppendRow => ({ status: 'ok', revision: String(revision), tx: '1', pos: String(revision) });

function request(streamName: string, events = 1): AppendRequest {
  const ids = Array.from({ length: events }, (_, i) => `${streamName}-${i}`);
  return { streamName, expected: 'any', ids, types: ids.map(() => 'T'), data: ids.map(() => '{}'), metadata: ids.map(() => '{}') };
}

/** A database stand-in whose calls finish only when the test releases them. */
function controlledDatabase() {
  const calls: { kind: 'one' | 'group'; streams: string[]; release(error?: Error): void }[] = [];
  const options = {
    appendOne: (r: AppendRequest) =>
      new Promise<AppendRow>((resolve, reject) => {
        calls.push({ kind: 'one', streams: [r.streamName], release: (error) => (error ? reject(error) : resolve(ok(0))) });
      }),
    appendGroup: (rs: AppendRequest[]) =>
      new Promise<AppendRow[]>((resolve, reject) => {
        calls.push({
          kind: 'group',
          streams: rs.map((r) => r.streamName),
          release: (error) => (error ? reject(error) : resolve(rs.map((_, i) => ok(i)))),
        });
      }),
  };
  return { calls, options };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AppendQueue', () => {
  it('sends an append alone and at once while a slot is free', async () => {
    const db = controlledDatabase();
    const queue = new AppendQueue({ concurrency: 2, maxGroupSize: 64, maxGroupEvents: 1000, ...db.options });
    const first = queue.append(request('a'));
    const second = queue.append(request('b'));
    await tick();
    expect(db.calls.map((c) => [c.kind, c.streams])).toEqual([
      ['one', ['a']],
      ['one', ['b']],
    ]);
    db.calls.forEach((c) => c.release());
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('commits the appends that waited for a slot as one group, sorted by stream but keeping one stream in order', async () => {
    const db = controlledDatabase();
    const queue = new AppendQueue({ concurrency: 1, maxGroupSize: 64, maxGroupEvents: 1000, ...db.options });
    const appends = ['x', 'c', 'a', 'c', 'b'].map((stream) => queue.append(request(stream)));
    await tick();
    expect(db.calls).toHaveLength(1);
    db.calls[0].release();
    await tick();
    expect(db.calls[1]).toMatchObject({ kind: 'group', streams: ['a', 'b', 'c', 'c'] });
    db.calls[1].release();
    // Each append gets the row of its own place in the sorted group.
    const rows = await Promise.all(appends);
    expect(rows.map((row) => row.revision)).toEqual(['0', '2', '0', '3', '1']);
  });

  it('caps a group by appends and by events, never splitting an append', async () => {
    const db = controlledDatabase();
    const queue = new AppendQueue({ concurrency: 1, maxGroupSize: 3, maxGroupEvents: 10, ...db.options });
    const appends = [
      queue.append(request('busy')),
      ...['a', 'b', 'c', 'd'].map((s) => queue.append(request(s))),
      queue.append(request('big', 12)),
    ];
    for (let i = 0; i < 4; i++) {
      await tick();
      db.calls[i].release();
    }
    await Promise.all(appends);
    expect(db.calls.map((c) => c.streams)).toEqual([['busy'], ['a', 'b', 'c'], ['d'], ['big']]);
  });

  it('retries the appends of a failed group one by one, so each gets its own outcome', async () => {
    const db = controlledDatabase();
    const queue = new AppendQueue({ concurrency: 1, maxGroupSize: 64, maxGroupEvents: 1000, ...db.options });
    const busy = queue.append(request('busy'));
    const a = queue.append(request('a'));
    const b = queue.append(request('b'));
    await tick();
    db.calls[0].release();
    await tick();
    db.calls[1].release(new Error('duplicate event id in b'));
    await tick();
    expect(db.calls[2]).toMatchObject({ kind: 'one', streams: ['a'] });
    db.calls[2].release();
    await tick();
    expect(db.calls[3]).toMatchObject({ kind: 'one', streams: ['b'] });
    db.calls[3].release(new Error('duplicate event id in b'));
    await expect(busy).resolves.toBeDefined();
    await expect(a).resolves.toMatchObject({ status: 'ok' });
    await expect(b).rejects.toThrow('duplicate event id in b');
  });
});

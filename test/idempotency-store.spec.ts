import { IdempotencyKeyReused, IdempotencyStore } from '@app/core';
import { createKnex } from '@app/core/database/migrations';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** The kept answers of Idempotency-Key requests, as every api process shares them. */
describe('IdempotencyStore', () => {
  let database: TestDatabase;
  let knex: Knex;
  let store: IdempotencyStore;

  beforeAll(async () => {
    database = await createTestDatabase('idempotency');
    knex = createKnex(database.url, 5);
    store = new IdempotencyStore(knex);
  });
  afterAll(async () => {
    await knex.destroy();
    await database.drop();
  });

  it('the first request claims a key; a repeat racing it waits for its answer and gets it', async () => {
    const first = await store.claim('user POST /x', 'k1', 'body-a');
    expect(first.kind).toBe('claimed');
    const repeat = store.claim('user POST /x', 'k1', 'body-a');
    let settled = false;
    void repeat.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    await store.answer('user POST /x', 'k1', (first as { owner: string }).owner, 201, { id: 7 });
    await expect(repeat).resolves.toEqual({ kind: 'answered', status: 201, body: { id: 7 } });
    await expect(store.claim('user POST /x', 'k1', 'body-a')).resolves.toEqual({ kind: 'answered', status: 201, body: { id: 7 } });
  });

  it('the same key with another body, while running or answered, is IDEMPOTENCY_KEY_REUSED; another caller or path is another key', async () => {
    await store.claim('user POST /y', 'k2', 'body-a');
    await expect(store.claim('user POST /y', 'k2', 'body-b')).rejects.toBeInstanceOf(IdempotencyKeyReused);
    await expect(store.claim('other POST /y', 'k2', 'body-b')).resolves.toMatchObject({ kind: 'claimed' });
    await expect(store.claim('user POST /z', 'k2', 'body-b')).resolves.toMatchObject({ kind: 'claimed' });
  });

  it('a released key (an answer not worth keeping, such as a 502) is claimed again by the retry', async () => {
    const first = (await store.claim('user POST /r', 'k3', 'body')) as { owner: string };
    await store.release('user POST /r', 'k3', first.owner);
    const again = await store.claim('user POST /r', 'k3', 'body');
    expect(again.kind).toBe('claimed');
    expect((again as { owner: string }).owner).not.toBe(first.owner);
  });

  it('a key held past its time by a process that died is taken over, and the dead owner can no longer answer it', async () => {
    const dead = (await store.claim('user POST /d', 'k4', 'body')) as { owner: string };
    await knex('idempotency_keys').where({ scope: 'user POST /d', key: 'k4' }).update({ locked_until: knex.raw("now() - interval '1 second'") });
    const taken = (await store.claim('user POST /d', 'k4', 'body')) as { kind: string; owner: string };
    expect(taken.kind).toBe('claimed');
    await store.answer('user POST /d', 'k4', dead.owner, 200, { from: 'dead' });
    await store.answer('user POST /d', 'k4', taken.owner, 200, { from: 'live' });
    await expect(store.claim('user POST /d', 'k4', 'body')).resolves.toEqual({ kind: 'answered', status: 200, body: { from: 'live' } });
  });
});

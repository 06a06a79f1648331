import knexFactory, { type Knex } from 'knex';
import { isOutage, pooledSql } from '@app/core';
import { createKnex } from '@app/core/database/migrations';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** `ReadModelTables.sql`: the hot reads' plain statements on knex's pool, without knex's query building. */
describe('plain SQL on the read models’ pool', () => {
  let database: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    database = await createTestDatabase('read_model_sql');
    knex = createKnex(database.url, 2);
    await knex.schema.createTable('notes', (t) => {
      t.text('id').primary();
      t.text('body').notNullable();
    });
    await knex('notes').insert([
      { id: 'a', body: 'first' },
      { id: 'b', body: "it's; drop table notes; --" },
    ]);
  });

  afterAll(async () => {
    await knex.destroy();
    await database.drop();
  });

  it('binds values as data, never as SQL', async () => {
    expect(await pooledSql(knex, 'select id from notes where body = $1', ["it's; drop table notes; --"])).toEqual([{ id: 'b' }]);
    expect(await pooledSql(knex, 'select count(*)::int as n from notes')).toEqual([{ n: 2 }]);
  });

  it('gives every connection back, after a burst on a pool of two and after a failing statement', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => pooledSql<{ id: string }>(knex, 'select id from notes where id = $1', [i % 2 ? 'a' : 'b'])));
    expect(answers.map((rows) => rows[0].id)).toEqual(Array.from({ length: 50 }, (_, i) => (i % 2 ? 'a' : 'b')));
    await expect(pooledSql(knex, 'select nothing from nowhere')).rejects.toMatchObject({ code: '42P01' });
    const pool = (knex.client as { pool: { numUsed(): number } }).pool;
    expect(pool.numUsed()).toBe(0);
    expect(await pooledSql(knex, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('fails as an outage (503, not 500) when the database cannot be reached', async () => {
    const quiet = { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined };
    const unreachable = knexFactory({ client: 'pg', connection: 'postgres://postgres@127.0.0.1:1/none', pool: { min: 0, max: 1 }, acquireConnectionTimeout: 500, log: quiet });
    try {
      const error = await pooledSql(unreachable, 'select 1').then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(error).not.toBeNull();
      expect(isOutage(error)).toBe(true);
    } finally {
      await unreachable.destroy();
    }
  });
});

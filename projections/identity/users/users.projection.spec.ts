import type { Knex } from 'knex';
import { createKnex, physicalTable, type ProjectionContext, ReadModels, type Recorded } from '@app/core';
import type { UserEvent } from '@app/identity/contract';
import { projectionContext } from '../../../test/support/projection-context';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { usersProjection } from './users.projection';
import { usersQueries } from './users.queries';

const ann = 'a0000000-0000-4000-8000-000000000001';
const bob = 'b0000000-0000-4000-8000-000000000002';
const cid = 'c0000000-0000-4000-8000-000000000003';
const dee = 'd0000000-0000-4000-8000-000000000004';
const nobody = 'e0000000-0000-4000-8000-000000000005';
const at = '2024-05-01T09:00:00.000Z';

let n = 0;
function recorded<E extends UserEvent>(type: E['type'], data: E['data']): Recorded<UserEvent> {
  n++;
  return <Recorded<UserEvent>>{
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    data,
    metadata: {},
    streamName: `user-${data.userId}`,
    revision: 0n,
    position: `${n.toString(16).padStart(16, '0')}-0000000000000000`,
    recordedAt: new Date(0),
  };
}
const registered = (userId: string, name: string, role: 'admin' | 'manager' | 'accountant' | 'worker') =>
  recorded('UserRegistered', { userId, name, email: `${name.toLowerCase()}@popug.io`, role, beakHash: 'scrypt$secret', registeredAt: at });

/**
 * Ann a worker promoted to manager; Bob an admin deactivated; Cid a worker deactivated and
 * reactivated, who changed his beak; Dee an accountant; and a role change of a user nobody registered.
 */
const log: Recorded<UserEvent>[] = [
  registered(ann, 'Ann', 'worker'),
  registered(bob, 'Bob', 'admin'),
  registered(cid, 'Cid', 'worker'),
  recorded('UserRoleChanged', { userId: ann, role: 'manager', previousRole: 'worker', changedAt: at }),
  recorded('UserDeactivated', { userId: bob, deactivatedAt: at }),
  recorded('UserDeactivated', { userId: cid, deactivatedAt: at }),
  recorded('UserReactivated', { userId: cid, reactivatedAt: at }),
  recorded('UserBeakChanged', { userId: cid, beakHash: 'scrypt$new', changedAt: at }),
  registered(dee, 'Dee', 'accountant'),
  recorded('UserRoleChanged', { userId: nobody, role: 'admin', previousRole: 'worker', changedAt: at }),
];

/** What the runtime hands the projection: only the event types it reads (UserBeakChanged is not one). */
type Handled = Parameters<typeof usersProjection.apply>[0][number];
const handled = log.filter((event): event is Handled => (usersProjection.eventTypes as readonly string[]).includes(event.type));

describe('users', () => {
  let database: TestDatabase;
  let knex: Knex;
  /** Served as `users` itself, as the runtime serves the current generation, so the queries read it. */
  const served = (trx: Knex.Transaction): ProjectionContext<'users'> => ({ trx, table: (name) => trx(name), tableName: (name) => name });

  beforeAll(async () => {
    database = await createTestDatabase('users');
    knex = createKnex(database.url, 2);
    await knex.schema.createTable('users', usersProjection.tables.users);
    await knex.schema.createTable(physicalTable('users', 2), usersProjection.tables.users);
    await knex.transaction((trx) => usersProjection.apply(handled, served(trx)));
  });

  afterAll(async () => {
    await knex?.destroy();
    await database?.drop();
  });

  it('reads every user event type but beak changes', () => {
    expect([...usersProjection.eventTypes].sort()).toEqual(['UserDeactivated', 'UserReactivated', 'UserRegistered', 'UserRoleChanged']);
  });

  it('keeps one row per registered user, with their current role and whether they are active, and no beak hash', async () => {
    expect(await knex('users').orderBy('name')).toEqual([
      { user_id: ann, name: 'Ann', email: 'ann@popug.io', role: 'manager', active: true },
      { user_id: bob, name: 'Bob', email: 'bob@popug.io', role: 'admin', active: false },
      { user_id: cid, name: 'Cid', email: 'cid@popug.io', role: 'worker', active: true },
      { user_id: dee, name: 'Dee', email: 'dee@popug.io', role: 'accountant', active: true },
    ]);
  });

  it('gives the same rows applied one event per batch as in one batch', async () => {
    for (const event of handled) {
      await knex.transaction((trx) => usersProjection.apply([event], projectionContext(trx, 2) as ProjectionContext<'users'>));
    }
    expect(await knex(physicalTable('users', 2)).orderBy('user_id')).toEqual(await knex('users').orderBy('user_id'));
  });

  it('answers the directory queries', async () => {
    const users = new ReadModels(knex).use(usersQueries);
    const ids = (rows: { user_id: string }[]) => rows.map((row) => row.user_id);
    expect(await users.byId(ann)).toEqual({ user_id: ann, name: 'Ann', email: 'ann@popug.io', role: 'manager', active: true });
    expect(await users.byId(nobody)).toBeUndefined();
    expect(ids(await users.all())).toEqual([ann, bob, cid, dee]);
    expect(ids(await users.activeWithRole('worker'))).toEqual([cid]);
    expect(ids(await users.activeWithRole('admin'))).toEqual([]);
    expect(await users.activeIdsWithRole('manager')).toEqual([ann]);
    expect(ids(await users.withRole('admin'))).toEqual([bob]);
    expect(ids(await users.byIds([dee, nobody, ann])).sort()).toEqual([ann, dee]);
  });
});

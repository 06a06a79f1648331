import type { Recorded } from '@app/core';
import type { UserEvent } from '@app/identity/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { usersProjection } from './users.projection';
import { usersQueries } from './users.queries';

const ann = 'a0000000-0000-4000-8000-000000000001';
const bob = 'b0000000-0000-4000-8000-000000000002';
const cid = 'c0000000-0000-4000-8000-000000000003';
const dee = 'd0000000-0000-4000-8000-000000000004';
const nobody = 'e0000000-0000-4000-8000-000000000005';
const at = '2024-05-01T09:00:00.000Z';

const recorded = recorder<UserEvent>((event) => `user-${event.data.userId}`);
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
  const readModel = readModelUnderTest(usersProjection, { generations: ['served', 2], batches: [handled] });

  it('reads every user event type but beak changes', () => {
    expect([...usersProjection.eventTypes].sort()).toEqual(['UserDeactivated', 'UserReactivated', 'UserRegistered', 'UserRoleChanged']);
  });

  it('keeps one row per registered user, with their current role and whether they are active, and no beak hash', async () => {
    expect(await readModel.rows('users', 'served', 'name')).toEqual([
      { user_id: ann, name: 'Ann', email: 'ann@popug.io', role: 'manager', active: true },
      { user_id: bob, name: 'Bob', email: 'bob@popug.io', role: 'admin', active: false },
      { user_id: cid, name: 'Cid', email: 'cid@popug.io', role: 'worker', active: true },
      { user_id: dee, name: 'Dee', email: 'dee@popug.io', role: 'accountant', active: true },
    ]);
  });

  it('gives the same rows applied one event per batch as in one batch', async () => {
    await readModel.applyEachAlone(handled, 2);
    expect(await readModel.rows('users', 2, 'user_id')).toEqual(await readModel.rows('users', 'served', 'user_id'));
  });

  it('answers the directory queries', async () => {
    const users = readModel.queries(usersQueries);
    const ids = (rows: { user_id: string }[]) => rows.map((row) => row.user_id);
    expect(await users.byId(ann)).toEqual({ user_id: ann, name: 'Ann', email: 'ann@popug.io', role: 'manager', active: true });
    expect(await users.byId(nobody)).toBeUndefined();
    expect(ids(await users.all())).toEqual([ann, bob, cid, dee]);
    expect(await users.activeIdsWithRole('manager')).toEqual([ann]);
    expect(await users.activeIdsWithRole('admin')).toEqual([]);
  });
});

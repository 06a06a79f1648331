import { spec } from '@app/core/testing/given-when-then';
import { adminRosterDecider } from './admin-roster.decider';
import type { AdminJoinedRoster, AdminLeftRoster, AdminRosterSeeded } from './admin-roster.events';
import { LastAdmin } from './identity.errors';

const ann = 'a0000000-0000-4000-8000-000000000001';
const bob = 'b0000000-0000-4000-8000-000000000002';
const seeded = (...admins: string[]): AdminRosterSeeded => ({ type: 'AdminRosterSeeded', data: { admins: admins.map((userId) => ({ userId, asOf: 0 })) } });
const joined = (userId: string, asOf: number): AdminJoinedRoster => ({ type: 'AdminJoinedRoster', data: { userId, asOf } });
const left = (userId: string, asOf: number): AdminLeftRoster => ({ type: 'AdminLeftRoster', data: { userId, asOf } });

describe('admin roster decider', () => {
  it('starts from the seed it is given the first time', () => {
    spec(adminRosterDecider)
      .given([])
      .when({ type: 'AdmitAdmin', data: { userId: bob, asOf: 0, seed: [{ userId: ann, asOf: 0 }] } })
      .then([seeded(ann), joined(bob, 0)]);
  });

  it('cannot start without a seed', () => {
    spec(adminRosterDecider).given([]).when({ type: 'AdmitAdmin', data: { userId: bob, asOf: 0 } }).thenThrows(Error);
  });

  it('ignores a seed once seeded, and a fact no newer than the one it has', () => {
    spec(adminRosterDecider).given([seeded(ann)]).when({ type: 'AdmitAdmin', data: { userId: ann, asOf: 0, seed: [] } }).then([]);
    spec(adminRosterDecider).given([seeded(ann), left(bob, 4)]).when({ type: 'AdmitAdmin', data: { userId: bob, asOf: 3 } }).then([]);
  });

  it('lets an admin leave while another stays', () => {
    spec(adminRosterDecider).given([seeded(ann), joined(bob, 0)]).when({ type: 'DismissAdmin', data: { userId: bob, asOf: 1 } }).then([left(bob, 1)]);
  });

  it('refuses to let the last admin leave: LAST_ADMIN', () => {
    spec(adminRosterDecider).given([seeded(ann)]).when({ type: 'DismissAdmin', data: { userId: ann, asOf: 1 } }).thenThrows(LastAdmin);
    spec(adminRosterDecider)
      .given([seeded(ann), joined(bob, 0), left(bob, 1)])
      .when({ type: 'DismissAdmin', data: { userId: ann, asOf: 3 } })
      .thenThrows({ code: 'LAST_ADMIN' });
  });

  it('even for a user it does not list: a roster short of an admin is only ever stricter', () => {
    spec(adminRosterDecider).given([seeded()]).when({ type: 'DismissAdmin', data: { userId: bob, asOf: 2 } }).thenThrows(LastAdmin);
  });
});

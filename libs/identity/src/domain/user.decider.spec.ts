import { ConcurrencyConflictError, fold, NotFoundError } from '@app/core/domain';
import { spec } from '@app/core/testing/given-when-then';
import { canonicalBeak } from './beak';
import { EmailTaken } from './identity.errors';
import { type ChangeRole, isActiveAdmin, type RegisterUser, userDecider } from './user.decider';
import type { UserBeakChanged, UserDeactivated, UserReactivated, UserRegistered, UserRoleChanged } from '../contract/user.events';

/** userIdForEmail('ann@popug.io') (application/user-id.ts): the decider takes the id it is given. */
const userId = '24510bc2-3e8d-56b4-9380-36d9f15a5fd9';
const registeredAt = '2024-05-01T09:00:00.000Z';
const changedAt = '2024-05-02T09:00:00.000Z';

const register: RegisterUser = {
  type: 'RegisterUser',
  data: { userId, name: 'Ann', email: 'ann@popug.io', role: 'worker', beakHash: 'scrypt$hash', registeredAt },
};
const registered: UserRegistered = { type: 'UserRegistered', data: register.data };
const promote: ChangeRole = { type: 'ChangeRole', data: { userId, role: 'manager', changedAt } };
const promoted: UserRoleChanged = { type: 'UserRoleChanged', data: { userId, role: 'manager', previousRole: 'worker', changedAt } };

describe('user decider', () => {
  it('registers a user whose email is free', () => {
    spec(userDecider).given([]).when(register).then([registered]);
  });

  it('refuses a second registration with the same email', () => {
    spec(userDecider)
      .given([registered])
      .when({ ...register, data: { ...register.data, name: 'Another Ann' } })
      .thenThrows(EmailTaken);
  });

  it('changes a role, recording the role it replaces', () => {
    spec(userDecider).given([registered]).when(promote).then([promoted]);
  });

  it('changes nothing when the role is already the one asked for', () => {
    spec(userDecider).given([registered, promoted]).when(promote).then([]);
  });

  it('cannot change the role of a user who does not exist', () => {
    spec(userDecider).given([]).when(promote).thenThrows(NotFoundError);
  });
});

describe('user decider: deactivation, reactivation, beak changes and versions', () => {
  const at = '2024-05-03T09:00:00.000Z';
  const deactivated: UserDeactivated = { type: 'UserDeactivated', data: { userId, deactivatedAt: at } };
  const reactivated: UserReactivated = { type: 'UserReactivated', data: { userId, reactivatedAt: at } };
  const beakChanged: UserBeakChanged = { type: 'UserBeakChanged', data: { userId, beakHash: 'scrypt$new', changedAt: at } };

  it('deactivates an active user, once', () => {
    spec(userDecider).given([registered]).when({ type: 'DeactivateUser', data: { userId, deactivatedAt: at } }).then([deactivated]);
    spec(userDecider).given([registered, deactivated]).when({ type: 'DeactivateUser', data: { userId, deactivatedAt: at } }).then([]);
  });

  it('reactivates a deactivated user, and changes nothing for an active one', () => {
    spec(userDecider).given([registered, deactivated]).when({ type: 'ReactivateUser', data: { userId, reactivatedAt: at } }).then([reactivated]);
    spec(userDecider).given([registered]).when({ type: 'ReactivateUser', data: { userId, reactivatedAt: at } }).then([]);
  });

  it('records a new beak hash', () => {
    spec(userDecider).given([registered]).when({ type: 'ChangeBeak', data: { userId, beakHash: 'scrypt$new', changedAt: at } }).then([beakChanged]);
  });

  it('counts its events as its version; a beak change, deactivation or reactivation voids the tokens of older versions, a role change does not', () => {
    const state = (events: Parameters<typeof fold>[2]) => fold(userDecider, userDecider.initialState(), events as never);
    expect(state([registered])).toMatchObject({ version: 0, tokensValidFrom: 0, active: true });
    expect(state([registered, promoted])).toMatchObject({ version: 1, tokensValidFrom: 0, role: 'manager' });
    expect(state([registered, promoted, beakChanged])).toMatchObject({ version: 2, tokensValidFrom: 2, beakHash: 'scrypt$new' });
    expect(state([registered, deactivated])).toMatchObject({ version: 1, tokensValidFrom: 1, active: false });
    expect(state([registered, deactivated, reactivated])).toMatchObject({ version: 2, tokensValidFrom: 2, active: true });
  });

  it('refuses a change decided on another version with CONCURRENCY_CONFLICT', () => {
    spec(userDecider)
      .given([registered, promoted])
      .when({ type: 'DeactivateUser', data: { userId, deactivatedAt: at, expectedVersion: 0 } })
      .thenThrows(ConcurrencyConflictError);
    spec(userDecider)
      .given([registered, promoted])
      .when({ type: 'DeactivateUser', data: { userId, deactivatedAt: at, expectedVersion: 1 } })
      .then([deactivated]);
  });

  it('counts only active admins as admins', () => {
    const admin = fold(userDecider, userDecider.initialState(), [{ ...registered, data: { ...registered.data, role: 'admin' } }]);
    expect(isActiveAdmin(admin)).toBe(true);
    expect(isActiveAdmin(userDecider.evolve(admin, deactivated))).toBe(false);
    expect(isActiveAdmin(userDecider.evolve(admin, promoted))).toBe(false);
  });
});

describe('canonical beak', () => {
  it('rounds each measure to one decimal, in a fixed order', () => {
    expect(canonicalBeak({ curvature: 0.31, width: 2, depth: 3.04, length: 12.05 })).toBe(canonicalBeak({ length: 12.05, depth: 3, width: 2.0, curvature: 0.3 }));
    expect(canonicalBeak({ length: 12, depth: 3, width: 2, curvature: 0.3 })).toBe('12.0|3.0|2.0|0.3');
    expect(canonicalBeak({ length: 12, depth: 3, width: 2, curvature: 0.36 })).not.toBe(canonicalBeak({ length: 12, depth: 3, width: 2, curvature: 0.3 }));
  });
});

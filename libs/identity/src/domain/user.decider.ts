import { assertNever, ConcurrencyConflictError, type Decider, NotFoundError } from '@app/core/domain';
import { EmailTaken } from './identity.errors';
import type { Role } from '../contract/role';
import type { UserEvent } from '../contract/user.events';

export type RegisterUser = {
  type: 'RegisterUser';
  data: { userId: string; name: string; email: string; role: Role; beakHash: string; registeredAt: string };
};

/**
 * The commands that change an existing user. `expectedVersion`, when given, is the version the
 * caller decided on: the command is refused with CONCURRENCY_CONFLICT when the user has changed
 * since, so a check made outside the stream (the last-admin rule) still holds when it lands.
 */
export type ChangeRole = { type: 'ChangeRole'; data: { userId: string; role: Role; changedAt: string; expectedVersion?: number } };
export type DeactivateUser = { type: 'DeactivateUser'; data: { userId: string; deactivatedAt: string; expectedVersion?: number } };
export type ReactivateUser = { type: 'ReactivateUser'; data: { userId: string; reactivatedAt: string; expectedVersion?: number } };
export type ChangeBeak = { type: 'ChangeBeak'; data: { userId: string; beakHash: string; changedAt: string; expectedVersion?: number } };

export type UserChange = ChangeRole | DeactivateUser | ReactivateUser | ChangeBeak;
export type UserCommand = RegisterUser | UserChange;

export interface RegisteredUser {
  status: 'registered';
  userId: string;
  name: string;
  email: string;
  role: Role;
  beakHash: string;
  active: boolean;
  /** The stream revision of the user's last event: access tokens carry the version they were issued at. */
  version: number;
  /** Tokens issued at an older version are void: set by a beak change, a deactivation and a reactivation. */
  tokensValidFrom: number;
}

export type UserState = { status: 'unregistered' } | RegisteredUser;

/** One user, in stream `user-<userId>`; the stream also claims the user's email (see userIdForEmail in application/user-id.ts). */
export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: () => ({ status: 'unregistered' }),

  decide(command, state) {
    if (command.type === 'RegisterUser') {
      if (state.status === 'registered') throw new EmailTaken(command.data.email);
      return [{ type: 'UserRegistered', data: command.data }];
    }
    const user = existing(command, state);
    switch (command.type) {
      case 'ChangeRole': {
        if (user.role === command.data.role) return [];
        const { userId, role, changedAt } = command.data;
        return [{ type: 'UserRoleChanged', data: { userId, role, previousRole: user.role, changedAt } }];
      }
      case 'DeactivateUser':
        if (!user.active) return [];
        return [{ type: 'UserDeactivated', data: { userId: user.userId, deactivatedAt: command.data.deactivatedAt } }];
      case 'ReactivateUser':
        if (user.active) return [];
        return [{ type: 'UserReactivated', data: { userId: user.userId, reactivatedAt: command.data.reactivatedAt } }];
      case 'ChangeBeak':
        return [{ type: 'UserBeakChanged', data: { userId: user.userId, beakHash: command.data.beakHash, changedAt: command.data.changedAt } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'UserRegistered') {
      const { userId, name, email, role, beakHash } = event.data;
      return { status: 'registered', userId, name, email, role, beakHash, active: true, version: 0, tokensValidFrom: 0 };
    }
    if (state.status !== 'registered') return state;
    const version = state.version + 1;
    switch (event.type) {
      case 'UserRoleChanged':
        return { ...state, version, role: event.data.role };
      case 'UserDeactivated':
        return { ...state, version, active: false, tokensValidFrom: version };
      case 'UserReactivated':
        return { ...state, version, active: true, tokensValidFrom: version };
      case 'UserBeakChanged':
        return { ...state, version, beakHash: event.data.beakHash, tokensValidFrom: version };
      default:
        return assertNever(event);
    }
  },
};

function existing(command: UserChange, state: UserState): RegisteredUser {
  if (state.status === 'unregistered') throw new NotFoundError('User', command.data.userId);
  const expected = command.data.expectedVersion;
  if (expected !== undefined && state.version !== expected) throw new ConcurrencyConflictError(userStream(state.userId), 1);
  return state;
}

/** Whether the user counts towards the admins the last-admin rule protects. */
export function isActiveAdmin(state: UserState): boolean {
  return state.status === 'registered' && state.active && state.role === 'admin';
}

export function userStream(userId: string): string {
  return `user-${userId}`;
}

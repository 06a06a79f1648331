import { assertNever, type Decider, NotFoundError } from '@app/core';
import { EmailTaken } from './identity.errors';
import type { Role } from './role';
import type { UserEvent } from './user.events';

export type RegisterUser = {
  type: 'RegisterUser';
  data: { userId: string; name: string; email: string; role: Role; beakHash: string; registeredAt: string };
};

export type ChangeRole = { type: 'ChangeRole'; data: { userId: string; role: Role; changedAt: string } };

export type UserCommand = RegisterUser | ChangeRole;

export type UserState =
  | { status: 'unregistered' }
  | { status: 'registered'; userId: string; name: string; email: string; role: Role; beakHash: string };

/** One user, in stream `user-<userId>`; the stream also claims the user's email (see userIdForEmail). */
export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: () => ({ status: 'unregistered' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterUser':
        if (state.status === 'registered') throw new EmailTaken(command.data.email);
        return [{ type: 'UserRegistered', data: command.data }];
      case 'ChangeRole': {
        if (state.status === 'unregistered') throw new NotFoundError('User', command.data.userId);
        if (state.role === command.data.role) return [];
        const { userId, role, changedAt } = command.data;
        return [{ type: 'UserRoleChanged', data: { userId, role, previousRole: state.role, changedAt } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'UserRegistered': {
        const { userId, name, email, role, beakHash } = event.data;
        return { status: 'registered', userId, name, email, role, beakHash };
      }
      case 'UserRoleChanged':
        return state.status === 'registered' ? { ...state, role: event.data.role } : state;
      default:
        return assertNever(event);
    }
  },
};

export function userStream(userId: string): string {
  return `user-${userId}`;
}

import { assertNever, type Decider } from '@app/core/domain';
import { InvalidRefreshToken } from './identity.errors';
import type { UserSessionEvent } from './user-session.events';

export type StartSession = {
  type: 'StartSession';
  data: { sessionId: string; userId: string; tokenHash: string; userVersion: number; startedAt: string; expiresAt: string };
};

/** Trade the current refresh token (`presentedHash`) for a new one (`tokenHash`). */
export type RefreshSession = {
  type: 'RefreshSession';
  data: { sessionId: string; presentedHash: string; tokenHash: string; userVersion: number; refreshedAt: string; expiresAt: string };
};

/** Log out: only with the session's current refresh token, by its own user. */
export type EndSession = { type: 'EndSession'; data: { sessionId: string; presentedHash: string; userId: string; endedAt: string } };

export type UserSessionCommand = StartSession | RefreshSession | EndSession;

export type UserSessionState =
  | { status: 'none' }
  | { status: 'open' | 'ended'; sessionId: string; userId: string; tokenHash: string; userVersion: number; expiresAt: string };

/** One login's refresh token, rotated on every use, in stream `identity-session-<sessionId>`. */
export const userSessionDecider: Decider<UserSessionCommand, UserSessionEvent, UserSessionState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'StartSession':
        if (state.status !== 'none') throw new Error(`Session ${command.data.sessionId} exists already`);
        return [{ type: 'UserSessionStarted', data: command.data }];
      case 'RefreshSession': {
        const { sessionId, presentedHash, tokenHash, userVersion, refreshedAt, expiresAt } = command.data;
        if (state.status !== 'open' || state.tokenHash !== presentedHash || state.expiresAt <= refreshedAt) throw new InvalidRefreshToken();
        return [{ type: 'UserSessionRefreshed', data: { sessionId, tokenHash, userVersion, refreshedAt, expiresAt } }];
      }
      case 'EndSession': {
        const { sessionId, presentedHash, userId, endedAt } = command.data;
        if (state.status === 'none' || state.userId !== userId || state.tokenHash !== presentedHash) throw new InvalidRefreshToken();
        if (state.status === 'ended') return [];
        return [{ type: 'UserSessionEnded', data: { sessionId, endedAt } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'UserSessionStarted': {
        const { sessionId, userId, tokenHash, userVersion, expiresAt } = event.data;
        return { status: 'open', sessionId, userId, tokenHash, userVersion, expiresAt };
      }
      case 'UserSessionRefreshed':
        if (state.status === 'none') return state;
        return { ...state, tokenHash: event.data.tokenHash, userVersion: event.data.userVersion, expiresAt: event.data.expiresAt };
      case 'UserSessionEnded':
        return state.status === 'none' ? state : { ...state, status: 'ended' };
      default:
        return assertNever(event);
    }
  },
};

export function userSessionStream(sessionId: string): string {
  return `identity-session-${sessionId}`;
}

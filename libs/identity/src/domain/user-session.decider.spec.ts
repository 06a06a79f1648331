import { spec } from '@app/core/testing/given-when-then';
import { InvalidRefreshToken } from './identity.errors';
import { userSessionDecider } from './user-session.decider';
import type { UserSessionEnded, UserSessionRefreshed, UserSessionStarted } from './user-session.events';

const sessionId = 'c0000000-0000-4000-8000-000000000003';
const userId = 'a0000000-0000-4000-8000-000000000001';
const started: UserSessionStarted = {
  type: 'UserSessionStarted',
  data: { sessionId, userId, tokenHash: 'h1', userVersion: 0, startedAt: '2024-05-01T09:00:00.000Z', expiresAt: '2024-05-15T09:00:00.000Z' },
};
const refresh = (presentedHash: string, refreshedAt = '2024-05-02T09:00:00.000Z') => ({
  type: 'RefreshSession' as const,
  data: { sessionId, presentedHash, tokenHash: 'h2', userVersion: 1, refreshedAt, expiresAt: '2024-05-16T09:00:00.000Z' },
});
const refreshed: UserSessionRefreshed = {
  type: 'UserSessionRefreshed',
  data: { sessionId, tokenHash: 'h2', userVersion: 1, refreshedAt: '2024-05-02T09:00:00.000Z', expiresAt: '2024-05-16T09:00:00.000Z' },
};
const ended: UserSessionEnded = { type: 'UserSessionEnded', data: { sessionId, endedAt: '2024-05-03T09:00:00.000Z' } };
const end = (presentedHash: string, by = userId) => ({ type: 'EndSession' as const, data: { sessionId, presentedHash, userId: by, endedAt: '2024-05-03T09:00:00.000Z' } });

describe('user session decider', () => {
  it('rotates the refresh token: the current one is traded for the next', () => {
    spec(userSessionDecider).given([started]).when(refresh('h1')).then([refreshed]);
  });

  it('refuses a rotated token, an unknown session, an expired or an ended one', () => {
    spec(userSessionDecider).given([started, refreshed]).when(refresh('h1')).thenThrows(InvalidRefreshToken);
    spec(userSessionDecider).given([]).when(refresh('h1')).thenThrows(InvalidRefreshToken);
    spec(userSessionDecider).given([started]).when(refresh('h1', '2024-05-15T09:00:00.000Z')).thenThrows(InvalidRefreshToken);
    spec(userSessionDecider).given([started, ended]).when(refresh('h1')).thenThrows(InvalidRefreshToken);
  });

  it('ends with its current token and its own user only, once', () => {
    spec(userSessionDecider).given([started]).when(end('h1')).then([ended]);
    spec(userSessionDecider).given([started, ended]).when(end('h1')).then([]);
    spec(userSessionDecider).given([started, refreshed]).when(end('h1')).thenThrows(InvalidRefreshToken);
    spec(userSessionDecider).given([started]).when(end('h1', 'b0000000-0000-4000-8000-000000000002')).thenThrows(InvalidRefreshToken);
  });
});

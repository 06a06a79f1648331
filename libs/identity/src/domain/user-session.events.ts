import type { DomainEvent } from '@app/core/domain';

/**
 * A login's refresh token. Only its SHA-256 is recorded (the token is 256 random bits, so a fast
 * hash is enough); `userVersion` is the user's version it was issued at, so a beak change or a
 * deactivation after it voids the session.
 */
export type UserSessionStarted = DomainEvent<
  'UserSessionStarted',
  { sessionId: string; userId: string; tokenHash: string; userVersion: number; startedAt: string; expiresAt: string }
>;

/** The refresh token was used: it is replaced by a new one, and the session's expiry moves on. */
export type UserSessionRefreshed = DomainEvent<
  'UserSessionRefreshed',
  { sessionId: string; tokenHash: string; userVersion: number; refreshedAt: string; expiresAt: string }
>;

/** Logged out: the session's refresh token no longer works. */
export type UserSessionEnded = DomainEvent<'UserSessionEnded', { sessionId: string; endedAt: string }>;

export type UserSessionEvent = UserSessionStarted | UserSessionRefreshed | UserSessionEnded;

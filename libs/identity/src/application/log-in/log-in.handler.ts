import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { normaliseEmail } from '../../domain/email';
import { userIdForEmail } from '../user-id';
import { InvalidCredentials } from '../../domain/identity.errors';
import type { Beak } from '../../domain/beak';
import { type RegisteredUser, userDecider, userStream } from '../../domain/user.decider';
import { userSessionDecider, userSessionStream } from '../../domain/user-session.decider';
import { AccessTokens } from '../access-tokens';
import { BeakHasher } from '../beak-hasher';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { LoginAttempts } from '../login-attempts';
import { newRefreshToken } from '../refresh-tokens';
import { LogInCommand, type LoggedIn } from './log-in.command';

/**
 * Checks the beak against the user's stream, not a read model: a user can log in the moment they
 * are registered, and the beak hash never leaves the write side. The attempt is counted against
 * the email and the client before any hashing (429 TOO_MANY_ATTEMPTS past the limits), and the
 * hash waits for one of a bounded number of slots (503 when they and their queue are full). A
 * login starts a session whose refresh token is recorded only as its hash.
 */
@Injectable()
@CommandHandler(LogInCommand)
export class LogInHandler implements ICommandHandler<LogInCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly hasher: BeakHasher,
    private readonly tokens: AccessTokens,
    private readonly attempts: LoginAttempts,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ email, beak, client }: LogInCommand): Promise<LoggedIn> {
    const attempt = this.attempts.begin(normaliseEmail(email), client);
    const userId = userIdForEmail(email);
    const user = await this.check(userId, beak).catch((error: unknown) => {
      // Only a wrong email or beak counts; a busy server or a database error does not.
      if (!(error instanceof InvalidCredentials)) attempt.abandoned();
      throw error;
    });
    attempt.succeeded();
    const refresh = newRefreshToken();
    const now = this.clock.now();
    await this.commands.run(
      userSessionDecider,
      userSessionStream(refresh.sessionId),
      {
        type: 'StartSession',
        data: {
          sessionId: refresh.sessionId,
          userId,
          tokenHash: refresh.hash,
          userVersion: user.version,
          startedAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000).toISOString(),
        },
      },
      { newStream: true, metadata: { userId } },
    );
    return { ...this.tokens.issue({ userId, role: user.role, version: user.version }), refreshToken: refresh.token, userId, role: user.role };
  }

  private async check(userId: string, beak: Beak): Promise<RegisteredUser> {
    const { state } = await this.commands.load(userDecider, userStream(userId));
    const user = state.status === 'registered' ? state : undefined;
    const matches = await this.hasher.matches(beak, user?.beakHash);
    if (!user || !matches || !user.active) throw new InvalidCredentials();
    return user;
  }
}

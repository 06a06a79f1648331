import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { InvalidRefreshToken } from '../../domain/identity.errors';
import { userDecider, userStream } from '../../domain/user.decider';
import { userSessionDecider, userSessionStream } from '../../domain/user-session.decider';
import { AccessTokens } from '../access-tokens';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { newRefreshToken, readRefreshToken } from '../refresh-tokens';
import { type Refreshed, RefreshSessionCommand } from './refresh-session.command';

/**
 * Rotation: the refresh token sent is replaced by a new one in the session's stream, appended at
 * the revision read, so of two refreshes with one token exactly one wins. Refused when the
 * session is unknown, logged out or expired, or when its user has been deactivated or changed
 * their beak since it was issued. The new access token carries the user's role as it is now.
 */
@Injectable()
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly tokens: AccessTokens,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ refreshToken }: RefreshSessionCommand): Promise<Refreshed> {
    const presented = readRefreshToken(refreshToken);
    if (!presented) throw new InvalidRefreshToken();
    const stream = userSessionStream(presented.sessionId);
    const { state: session } = await this.commands.load(userSessionDecider, stream);
    if (session.status !== 'open') throw new InvalidRefreshToken();
    const { state: user } = await this.commands.load(userDecider, userStream(session.userId));
    if (user.status !== 'registered' || !user.active || session.userVersion < user.tokensValidFrom) throw new InvalidRefreshToken();
    const next = newRefreshToken(presented.sessionId);
    const now = this.clock.now();
    await this.commands.run(
      userSessionDecider,
      stream,
      {
        type: 'RefreshSession',
        data: {
          sessionId: presented.sessionId,
          presentedHash: presented.hash,
          tokenHash: next.hash,
          userVersion: user.version,
          refreshedAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000).toISOString(),
        },
      },
      { metadata: { userId: user.userId } },
    );
    return {
      ...this.tokens.issue({ userId: user.userId, role: user.role, version: user.version }),
      refreshToken: next.token,
      userId: user.userId,
      role: user.role,
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { InvalidRefreshToken } from '../../domain/identity.errors';
import { userSessionDecider, userSessionStream } from '../../domain/user-session.decider';
import { readRefreshToken } from '../refresh-tokens';
import { type LoggedOut, LogOutCommand } from './log-out.command';

/** Only the session's current refresh token, sent by its own user, ends it; ending it again changes nothing. */
@Injectable()
@CommandHandler(LogOutCommand)
export class LogOutHandler implements ICommandHandler<LogOutCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId, refreshToken }: LogOutCommand): Promise<LoggedOut> {
    const presented = readRefreshToken(refreshToken);
    if (!presented) throw new InvalidRefreshToken();
    const stream = userSessionStream(presented.sessionId);
    const { position } = await this.commands.run(userSessionDecider, stream, {
      type: 'EndSession',
      data: { sessionId: presented.sessionId, presentedHash: presented.hash, userId, endedAt: this.clock.now().toISOString() },
    });
    // Ending an ended session appends nothing; its position is then the session's last event's.
    if (position === null) throw new Error(`Session ${presented.sessionId} was ended but its stream is empty`);
    return { position };
  }
}

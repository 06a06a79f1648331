import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
    if (position) return { position };
    const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    return { position: last.position };
  }
}

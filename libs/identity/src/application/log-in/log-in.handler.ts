import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@app/core';
import { userIdForEmail } from '../../domain/email';
import { InvalidCredentials } from '../../domain/identity.errors';
import { userDecider, userStream } from '../../domain/user.decider';
import { AccessTokens } from '../access-tokens';
import { BeakHasher } from '../beak-hasher';
import { LogInCommand, type LoggedIn } from './log-in.command';

/**
 * Checks the beak against the user's stream, not a read model: a user can log in the moment they
 * are registered, and the beak hash never leaves the write side.
 */
@Injectable()
@CommandHandler(LogInCommand)
export class LogInHandler implements ICommandHandler<LogInCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly hasher: BeakHasher,
    private readonly tokens: AccessTokens,
  ) {}

  async execute({ email, beak }: LogInCommand): Promise<LoggedIn> {
    const userId = userIdForEmail(email);
    const { state } = await this.commands.load(userDecider, userStream(userId));
    const user = state.status === 'registered' ? state : undefined;
    const matches = await this.hasher.matches(beak, user?.beakHash);
    if (!user || !matches) throw new InvalidCredentials();
    return { ...this.tokens.issue({ userId, role: user.role }), userId, role: user.role };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { InvalidCredentials } from '../../domain/identity.errors';
import { userDecider, userStream } from '../../domain/user.decider';
import { BeakHasher } from '../beak-hasher';
import { LoginAttempts } from '../login-attempts';
import { UserChangeHandler } from '../user-change.handler';
import { type BeakChange, ChangeBeakCommand } from './change-beak.command';

/**
 * Checks the old beak as a login does (the same rate limits, so a stolen access token cannot be
 * used to guess the beak), then records the new one's hash.
 */
@Injectable()
@CommandHandler(ChangeBeakCommand)
export class ChangeBeakHandler extends UserChangeHandler implements ICommandHandler<ChangeBeakCommand> {
  constructor(
    commands: CommandRunner,
    commandBus: CommandBus,
    private readonly hasher: BeakHasher,
    private readonly attempts: LoginAttempts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(commands, commandBus);
  }

  async execute({ userId, oldBeak, newBeak, client }: ChangeBeakCommand): Promise<BeakChange> {
    const { state } = await this.commands.load(userDecider, userStream(userId));
    if (state.status !== 'registered') throw new InvalidCredentials();
    const attempt = this.attempts.begin(state.email, client);
    try {
      if (!(await this.hasher.matches(oldBeak, state.beakHash))) throw new InvalidCredentials();
    } catch (error) {
      if (!(error instanceof InvalidCredentials)) attempt.abandoned();
      throw error;
    }
    attempt.succeeded();
    const beakHash = await this.hasher.hash(newBeak);
    const changedAt = this.clock.now().toISOString();
    const { position } = await this.change(userId, { type: 'ChangeBeak', data: { userId, beakHash, changedAt } });
    return { userId, position };
  }
}

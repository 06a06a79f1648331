import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import type { ActivationChange } from '../deactivate-user/deactivate-user.command';
import { UserChangeHandler } from '../user-change.handler';
import { ReactivateUserCommand } from './reactivate-user.command';

@Injectable()
@CommandHandler(ReactivateUserCommand)
export class ReactivateUserHandler extends UserChangeHandler implements ICommandHandler<ReactivateUserCommand> {
  constructor(
    commands: CommandRunner,
    commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(commands, commandBus);
  }

  async execute({ userId }: ReactivateUserCommand): Promise<ActivationChange> {
    const reactivatedAt = this.clock.now().toISOString();
    const { user, position } = await this.change(userId, { type: 'ReactivateUser', data: { userId, reactivatedAt } });
    return { userId, active: user.active, position };
  }
}

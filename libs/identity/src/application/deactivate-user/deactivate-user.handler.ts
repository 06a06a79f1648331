import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { UserChangeHandler } from '../user-change.handler';
import { type ActivationChange, DeactivateUserCommand } from './deactivate-user.command';

/** 409 LAST_ADMIN for the last active admin; deactivating a deactivated user changes nothing. */
@Injectable()
@CommandHandler(DeactivateUserCommand)
export class DeactivateUserHandler extends UserChangeHandler implements ICommandHandler<DeactivateUserCommand> {
  constructor(
    commands: CommandRunner,
    commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(commands, commandBus);
  }

  async execute({ userId }: DeactivateUserCommand): Promise<ActivationChange> {
    const deactivatedAt = this.clock.now().toISOString();
    const { user, position } = await this.change(userId, { type: 'DeactivateUser', data: { userId, deactivatedAt } });
    return { userId, active: user.active, position };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { UserChangeHandler } from '../user-change.handler';
import { ChangeRoleCommand, type RoleChange } from './change-role.command';

/** 409 LAST_ADMIN when it would leave no active admin; the user's next request already has the new role. */
@Injectable()
@CommandHandler(ChangeRoleCommand)
export class ChangeRoleHandler extends UserChangeHandler implements ICommandHandler<ChangeRoleCommand> {
  constructor(
    commands: CommandRunner,
    commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(commands, commandBus);
  }

  async execute({ userId, role }: ChangeRoleCommand): Promise<RoleChange> {
    const changedAt = this.clock.now().toISOString();
    const { user, position } = await this.change(userId, { type: 'ChangeRole', data: { userId, role, changedAt } });
    return { userId, role: user.role, position };
  }
}

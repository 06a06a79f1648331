import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/core';
import { UserChanges } from '../user-changes';
import { ChangeRoleCommand, type RoleChange } from './change-role.command';

/** 409 LAST_ADMIN when it would leave no active admin; the user's next request already has the new role. */
@Injectable()
@CommandHandler(ChangeRoleCommand)
export class ChangeRoleHandler implements ICommandHandler<ChangeRoleCommand> {
  constructor(
    private readonly changes: UserChanges,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId, role }: ChangeRoleCommand): Promise<RoleChange> {
    const changedAt = this.clock.now().toISOString();
    const { user, position } = await this.changes.apply(userId, () => ({ type: 'ChangeRole', data: { userId, role, changedAt } }));
    return { userId, role: user.role, position };
  }
}

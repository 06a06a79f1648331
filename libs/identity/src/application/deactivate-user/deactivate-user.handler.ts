import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/core';
import { UserChanges } from '../user-changes';
import { type ActivationChange, DeactivateUserCommand } from './deactivate-user.command';

/** 409 LAST_ADMIN for the last active admin; deactivating a deactivated user changes nothing. */
@Injectable()
@CommandHandler(DeactivateUserCommand)
export class DeactivateUserHandler implements ICommandHandler<DeactivateUserCommand> {
  constructor(
    private readonly changes: UserChanges,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId }: DeactivateUserCommand): Promise<ActivationChange> {
    const deactivatedAt = this.clock.now().toISOString();
    const { user, position } = await this.changes.apply(userId, () => ({ type: 'DeactivateUser', data: { userId, deactivatedAt } }));
    return { userId, active: user.active, position };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/core';
import type { ActivationChange } from '../deactivate-user/deactivate-user.command';
import { UserChanges } from '../user-changes';
import { ReactivateUserCommand } from './reactivate-user.command';

@Injectable()
@CommandHandler(ReactivateUserCommand)
export class ReactivateUserHandler implements ICommandHandler<ReactivateUserCommand> {
  constructor(
    private readonly changes: UserChanges,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId }: ReactivateUserCommand): Promise<ActivationChange> {
    const reactivatedAt = this.clock.now().toISOString();
    const { user, position } = await this.changes.apply(userId, () => ({ type: 'ReactivateUser', data: { userId, reactivatedAt } }));
    return { userId, active: user.active, position };
  }
}

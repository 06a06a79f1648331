import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { userDecider, userStream } from '../../domain/user.decider';
import { ChangeRoleCommand, type RoleChange } from './change-role.command';

@Injectable()
@CommandHandler(ChangeRoleCommand)
export class ChangeRoleHandler implements ICommandHandler<ChangeRoleCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ userId, role }: ChangeRoleCommand): Promise<RoleChange> {
    const stream = userStream(userId);
    const { position } = await this.commands.run(userDecider, stream, { type: 'ChangeRole', data: { userId, role, changedAt: new Date().toISOString() } });
    return { userId, role, position: position ?? (await this.lastPosition(stream)) };
  }

  /** When the user already had the role nothing is written: the answer points at the event that gave it. */
  private async lastPosition(stream: string): Promise<string> {
    const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    return last.position;
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { showDecider, showStream } from '../../domain/show.decider';
import { CreateShowCommand, type CreatedShow } from './create-show.command';

@Injectable()
@CommandHandler(CreateShowCommand)
export class CreateShowHandler implements ICommandHandler<CreateShowCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ show, createdBy }: CreateShowCommand): Promise<CreatedShow> {
    const showId = randomUUID();
    const { state, position } = await this.commands.runGrouped(
      showDecider,
      showStream(showId),
      { type: 'CreateShow', data: { showId, ...show, createdBy, createdAt: this.clock.now().toISOString() } },
      { fromCache: true },
    );
    return { showId, seats: state.free, position: position! };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { eventCodeDecider, eventCodeStream } from '../../domain/event-code.decider';
import type { EventCodeWritten } from '../register-event-code/register-event-code.command';
import { ChangeEventCodeCommand } from './change-event-code.command';

/** A change that changes nothing answers the position of the code's last event. */
@Injectable()
@CommandHandler(ChangeEventCodeCommand)
export class ChangeEventCodeHandler implements ICommandHandler<ChangeEventCodeCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ code, changes }: ChangeEventCodeCommand): Promise<EventCodeWritten> {
    const { position } = await this.commands.run(eventCodeDecider, eventCodeStream(code), {
      type: 'ChangeEventCode',
      data: { code, changes, changedAt: this.clock.now().toISOString() },
    });
    return { code, position: position! };
  }
}

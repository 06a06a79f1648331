import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { eventCodeDecider, eventCodeStream } from '../../domain/event-code.decider';
import { type EventCodeWritten, RegisterEventCodeCommand } from './register-event-code.command';

@Injectable()
@CommandHandler(RegisterEventCodeCommand)
export class RegisterEventCodeHandler implements ICommandHandler<RegisterEventCodeCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ code, settings }: RegisterEventCodeCommand): Promise<EventCodeWritten> {
    const { position } = await this.commands.run(eventCodeDecider, eventCodeStream(code), {
      type: 'RegisterEventCode',
      data: { code, ...settings, registeredAt: this.clock.now().toISOString() },
    });
    return { code, position: position! };
  }
}

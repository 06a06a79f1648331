import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import type { Position } from '@app/eventstore';
import { providerDecider, providerStream } from '../../domain/provider.decider';
import { RegisterProviderCommand, SetMenuCommand } from './providers.commands';

@Injectable()
@CommandHandler(RegisterProviderCommand)
export class RegisterProviderHandler implements ICommandHandler<RegisterProviderCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ provider }: RegisterProviderCommand): Promise<{ providerId: string; position: Position }> {
    const providerId = randomUUID();
    const { position } = await this.commands.run(
      providerDecider,
      providerStream(providerId),
      { type: 'RegisterProvider', data: { providerId, ...provider, registeredAt: this.clock.now().toISOString() } },
      { newStream: true },
    );
    return { providerId, position: position! };
  }
}

/** Replaces a provider's menu whole; orders placed after it are priced from it. */
@Injectable()
@CommandHandler(SetMenuCommand)
export class SetMenuHandler implements ICommandHandler<SetMenuCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ providerId, items }: SetMenuCommand): Promise<{ providerId: string; position: Position }> {
    const { position } = await this.commands.run(providerDecider, providerStream(providerId), { type: 'SetMenu', data: { providerId, items, setAt: this.clock.now().toISOString() } });
    return { providerId, position: position! };
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { webhookDecider, webhookStream } from '../../domain/webhook.decider';
import { RegisterWebhookCommand, type RegisteredWebhook } from './register-webhook.command';

/** The id is drawn here and the webhook's stream must not exist yet: one registration, one webhook. */
@Injectable()
@CommandHandler(RegisterWebhookCommand)
export class RegisterWebhookHandler implements ICommandHandler<RegisterWebhookCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ url, secret }: RegisterWebhookCommand): Promise<RegisteredWebhook> {
    const webhookId = randomUUID();
    const { position } = await this.commands.run(
      webhookDecider,
      webhookStream(webhookId),
      { type: 'RegisterWebhook', data: { webhookId, url, secret, registeredAt: this.clock.now().toISOString() } },
      { newStream: true },
    );
    return { webhookId, position: position! };
  }
}
